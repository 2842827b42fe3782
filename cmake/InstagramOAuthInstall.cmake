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
# The headers: a component's directory only with the component.
set(_io_header_excludes "")
if(NOT TARGET instagram_oauth_postgres)
  list(APPEND _io_header_excludes PATTERN "postgres" EXCLUDE)
endif()
if(NOT TARGET instagram_oauth_prometheus)
  list(APPEND _io_header_excludes PATTERN "prometheus" EXCLUDE)
endif()
if(NOT TARGET instagram_oauth_lookalike)
  list(APPEND _io_header_excludes PATTERN "testing" EXCLUDE)
endif()
if(NOT TARGET instagram_oauth_asio)
  list(APPEND _io_header_excludes PATTERN "asio.hpp" EXCLUDE)
endif()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/" "${INSTAGRAM_OAUTH_GENERATED_INCLUDE}/"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} ${_io_header_excludes})
# Each component has an export set of its own: only a consumer that asks for it needs its
# packages (libpq; prometheus-cpp; cpp-httplib and libssl; Boost's headers).
foreach(_io_component Postgres Prometheus Lookalike Asio)
  string(TOLOWER "${_io_component}" _io_target)
  if(TARGET instagram_oauth_${_io_target})
    install(TARGETS instagram_oauth_${_io_target}
      EXPORT InstagramOAuth${_io_component}Targets
      ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
    install(EXPORT InstagramOAuth${_io_component}Targets
      NAMESPACE InstagramOAuth::
      DESTINATION ${INSTAGRAM_OAUTH_CMAKE_DIR})
    export(EXPORT InstagramOAuth${_io_component}Targets
      NAMESPACE InstagramOAuth::
      FILE "${PROJECT_BINARY_DIR}/InstagramOAuth${_io_component}Targets.cmake")
  endif()
endforeach()

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
# A component's file names what its static library needs besides the core library.
foreach(_io_component Postgres Prometheus Lookalike Asio)
  string(TOLOWER "${_io_component}" _io_pc_component)
  if(TARGET instagram_oauth_${_io_pc_component})
    if(_io_component STREQUAL "Postgres")
      set(_io_pc_description "PostgresTokenStore: users' tokens in PostgreSQL (libpq)")
      set(_io_pc_requires "libpq libcrypto")
      set(_io_pc_libs "")
    elseif(_io_component STREQUAL "Prometheus")
      set(_io_pc_description "prometheus_telemetry: metrics in a prometheus-cpp registry")
      set(_io_pc_requires "prometheus-cpp-core")
      set(_io_pc_libs "")
    elseif(_io_component STREQUAL "Asio")
      # Boost ships no pkg-config file: its headers are in the compiler's default path on
      # Debian (libboost-dev).
      set(_io_pc_description "asio.hpp: sign-ins in an Asio event loop (Boost.Asio headers)")
      set(_io_pc_requires "")
      set(_io_pc_libs "-pthread")
    else()
      set(_io_pc_description "InstagramMock: an Instagram look-alike for tests (cpp-httplib)")
      set(_io_pc_requires "cpp-httplib libssl libcrypto")
      set(_io_pc_libs "-pthread")
    endif()
    # A header-only component has no library of its own.
    get_target_property(_io_pc_type instagram_oauth_${_io_pc_component} TYPE)
    if(_io_pc_type STREQUAL "INTERFACE_LIBRARY")
      set(_io_pc_own_lib "")
    else()
      set(_io_pc_own_lib "-linstagram-oauth-${_io_pc_component}")
    endif()
    configure_file(cmake/instagram-oauth-component.pc.in
      "${PROJECT_BINARY_DIR}/instagram-oauth-${_io_pc_component}.pc" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/instagram-oauth-${_io_pc_component}.pc"
      DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  endif()
endforeach()

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
