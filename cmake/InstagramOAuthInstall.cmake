# Install rules, the CMake package (InstagramOAuthConfig.cmake) and instagram-oauth.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(INSTAGRAM_OAUTH_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/InstagramOAuth")

install(TARGETS instagram_oauth
  EXPORT InstagramOAuthTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET instagram_oauth_postgres)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/" "${INSTAGRAM_OAUTH_GENERATED_INCLUDE}/"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  # A component of its own export set: only a consumer that asks for it needs libpq.
  install(TARGETS instagram_oauth_postgres
    EXPORT InstagramOAuthPostgresTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT InstagramOAuthPostgresTargets
    NAMESPACE InstagramOAuth::
    DESTINATION ${INSTAGRAM_OAUTH_CMAKE_DIR})
  export(EXPORT InstagramOAuthPostgresTargets
    NAMESPACE InstagramOAuth::
    FILE "${PROJECT_BINARY_DIR}/InstagramOAuthPostgresTargets.cmake")
else()
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/" "${INSTAGRAM_OAUTH_GENERATED_INCLUDE}/"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    PATTERN "postgres" EXCLUDE)
endif()

install(EXPORT InstagramOAuthTargets
  NAMESPACE InstagramOAuth::
  DESTINATION ${INSTAGRAM_OAUTH_CMAKE_DIR})
export(EXPORT InstagramOAuthTargets
  NAMESPACE InstagramOAuth::
  FILE "${PROJECT_BINARY_DIR}/InstagramOAuthTargets.cmake")

configure_package_config_file(cmake/InstagramOAuthConfig.cmake.in
  "${PROJECT_BINARY_DIR}/InstagramOAuthConfig.cmake"
  INSTALL_DESTINATION ${INSTAGRAM_OAUTH_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/InstagramOAuthConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/InstagramOAuthConfig.cmake"
  "${PROJECT_BINARY_DIR}/InstagramOAuthConfigVersion.cmake"
  DESTINATION ${INSTAGRAM_OAUTH_CMAKE_DIR})

# pkg-config: a static library's users need libcurl and libcrypto on their link line too.
if(BUILD_SHARED_LIBS)
  set(INSTAGRAM_OAUTH_PC_REQUIRES "")
  set(INSTAGRAM_OAUTH_PC_REQUIRES_PRIVATE "libcurl libcrypto")
  set(INSTAGRAM_OAUTH_PC_CFLAGS "")
else()
  set(INSTAGRAM_OAUTH_PC_REQUIRES "libcurl libcrypto")
  set(INSTAGRAM_OAUTH_PC_REQUIRES_PRIVATE "")
  set(INSTAGRAM_OAUTH_PC_CFLAGS "-DINSTAGRAM_OAUTH_STATIC_DEFINE")
endif()
# Relocatable: the prefix is found from the .pc file's own place.
file(RELATIVE_PATH INSTAGRAM_OAUTH_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" INSTAGRAM_OAUTH_PC_TO_PREFIX "${INSTAGRAM_OAUTH_PC_TO_PREFIX}")
configure_file(cmake/instagram-oauth.pc.in "${PROJECT_BINARY_DIR}/instagram-oauth.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/instagram-oauth.pc"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# `cpack -G DEB` (or TGZ) from a build tree: the installed files as a package.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME instagram-oauth)
  set(CPACK_PACKAGE_VENDOR "instagram-oauth-cpp")
  set(CPACK_PACKAGE_CONTACT "instagram-oauth-cpp maintainers")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
  set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_GENERATOR TGZ)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4-openssl-dev, libssl-dev")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_PACKAGE_FILE_NAME instagram-oauth-${PROJECT_VERSION})
  include(CPack)
endif()
