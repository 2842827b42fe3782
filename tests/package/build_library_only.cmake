# A packager's build: `cmake -S . -B build` with only libcurl, nlohmann/json and OpenSSL
# visible (Catch2, CLI11, cpp-httplib and Boost hidden), then build and install. The installed tree
# must hold the library and nothing from tests/ or the look-alike.
file(REMOVE_RECURSE "${BINARY}")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY}/build -G ${GENERATOR}
    -D CMAKE_CXX_COMPILER=${CXX} -D CMAKE_BUILD_TYPE=Release
    -D CMAKE_DISABLE_FIND_PACKAGE_Catch2=ON -D CMAKE_DISABLE_FIND_PACKAGE_CLI11=ON
    -D CMAKE_DISABLE_FIND_PACKAGE_httplib=ON -D CMAKE_DISABLE_FIND_PACKAGE_Boost=ON
  RESULT_VARIABLE failed OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(failed)
  message(FATAL_ERROR "the plain configure failed:\n${output}")
endif()
if(NOT output MATCHES "leaving out the tests: Catch2")
  message(FATAL_ERROR "the configure did not say why the tests were left out:\n${output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY}/build RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "the plain build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY}/build --prefix ${BINARY}/prefix
  RESULT_VARIABLE failed OUTPUT_QUIET)
file(GLOB_RECURSE installed RELATIVE ${BINARY}/prefix ${BINARY}/prefix/*)
if(failed OR NOT installed MATCHES "InstagramOAuthConfig.cmake")
  message(FATAL_ERROR "the plain install failed: ${installed}")
endif()
if(installed MATCHES "mock|catch|lookalike|bin/|asio")
  message(FATAL_ERROR "the library-only install holds more than the library: ${installed}")
endif()
message(STATUS "installed: ${installed}")
