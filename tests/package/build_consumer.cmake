# Configures, builds and runs the consumer one way (MODE), offline.
file(REMOVE_RECURSE "${BINARY}")
set(build_dir "${BINARY}/build")

if(MODE STREQUAL "deb")
  # The .deb that cpack makes, unpacked: a consumer finds the package in its usr/.
  file(GLOB debs "${BUILD}/instagram-oauth*.deb")
  if(debs)
    file(REMOVE ${debs})
  endif()
  execute_process(COMMAND ${CPACK} -G DEB WORKING_DIRECTORY ${BUILD}
    RESULT_VARIABLE failed OUTPUT_QUIET)
  file(GLOB debs "${BUILD}/instagram-oauth*.deb")
  if(failed OR NOT debs)
    message(FATAL_ERROR "cpack made no .deb")
  endif()
  file(MAKE_DIRECTORY ${BINARY}/root)
  execute_process(COMMAND dpkg-deb -x ${debs} ${BINARY}/root RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "dpkg-deb could not unpack ${debs}")
  endif()
  # The look-alike is installed for users' tests; the project's own test servers never are.
  file(GLOB_RECURSE from_tests RELATIVE ${BINARY}/root ${BINARY}/root/*catch*
    ${BINARY}/root/*http2_server* ${BINARY}/root/*latency_server* ${BINARY}/root/*reset_server*
    ${BINARY}/root/*nginx* ${BINARY}/root/*loopback* ${BINARY}/root/*test_certificates*)
  if(from_tests)
    message(FATAL_ERROR "the .deb holds test files: ${from_tests}")
  endif()
  set(PREFIX ${BINARY}/root/usr)
  set(MODE find_package)
endif()

if(MODE STREQUAL "pkg_config")
  find_program(PKG_CONFIG pkg-config REQUIRED)
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/lib/pkgconfig:${PREFIX}/lib64/pkgconfig:${PREFIX}/lib/x86_64-linux-gnu/pkgconfig")
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs instagram-oauth
    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "pkg-config does not know instagram-oauth")
  endif()
  execute_process(COMMAND ${PKG_CONFIG} --variable=libdir instagram-oauth
    OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  # A shared build is found at run time through the rpath, as an installed one would be.
  string(APPEND flags " -Wl,-rpath,${libdir}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  file(MAKE_DIRECTORY "${build_dir}")
  execute_process(COMMAND ${CXX} -std=c++17 ${SOURCE}/main.cpp ${flags} -o ${build_dir}/consumer
    RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "the consumer does not build with pkg-config's flags: ${flags}")
  endif()
  # The components' own .pc files, where this build has them.
  foreach(component postgres prometheus lookalike asio)
    string(TOUPPER "${component}" upper)
    if(WITH_${upper})
      execute_process(COMMAND ${PKG_CONFIG} --cflags --libs instagram-oauth-${component}
        OUTPUT_VARIABLE component_flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed)
      if(failed)
        message(FATAL_ERROR "pkg-config does not know instagram-oauth-${component}")
      endif()
      string(APPEND component_flags " -Wl,-rpath,${libdir}")
      separate_arguments(component_flags UNIX_COMMAND "${component_flags}")
      execute_process(COMMAND ${CXX} -std=c++17 ${SOURCE}/${component}.cpp ${component_flags}
          -o ${build_dir}/consumer_${component}
        RESULT_VARIABLE failed)
      if(failed)
        message(FATAL_ERROR
          "the ${component} consumer does not build with pkg-config's flags: ${component_flags}")
      endif()
    endif()
  endforeach()
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${build_dir} -G ${GENERATOR}
      -D CMAKE_CXX_COMPILER=${CXX} -D CONSUME=${MODE} -D CMAKE_PREFIX_PATH=${PREFIX}
      -D INSTAGRAM_OAUTH_SOURCE=${PROJECT_ROOT} -D CMAKE_BUILD_TYPE=Release
      -D WITH_POSTGRES=${WITH_POSTGRES} -D WITH_PROMETHEUS=${WITH_PROMETHEUS}
      -D WITH_LOOKALIKE=${WITH_LOOKALIKE} -D WITH_ASIO=${WITH_ASIO}
    RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "the consumer does not configure through ${MODE}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build_dir} RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "the consumer does not build through ${MODE}")
  endif()
endif()

execute_process(COMMAND ${build_dir}/consumer RESULT_VARIABLE failed OUTPUT_VARIABLE output)
message(STATUS "${output}")
if(failed OR NOT output MATCHES "consumed: invalid_argument: code is empty")
  message(FATAL_ERROR "the consumer built through ${MODE} did not run as expected")
endif()

# The PostgreSQL component, where this build has it.
if(WITH_POSTGRES)
  execute_process(COMMAND ${build_dir}/consumer_postgres RESULT_VARIABLE failed
    OUTPUT_VARIABLE output)
  message(STATUS "${output}")
  if(failed OR NOT output MATCHES "Postgres consumed: invalid_argument: the PostgreSQL conninfo cannot be read")
    message(FATAL_ERROR "the PostgreSQL consumer built through ${MODE} did not run as expected")
  endif()
endif()

# The Prometheus component, where this build has it.
if(WITH_PROMETHEUS)
  execute_process(COMMAND ${build_dir}/consumer_prometheus RESULT_VARIABLE failed
    OUTPUT_VARIABLE output)
  message(STATUS "${output}")
  if(failed OR NOT output MATCHES "Prometheus consumed: instagram_oauth_webhooks_verified_total")
    message(FATAL_ERROR "the Prometheus consumer built through ${MODE} did not run as expected")
  endif()
endif()

# The Asio component, where this build has it.
if(WITH_ASIO)
  execute_process(COMMAND ${build_dir}/consumer_asio RESULT_VARIABLE failed
    OUTPUT_VARIABLE output)
  message(STATUS "${output}")
  if(failed OR NOT output MATCHES "Asio consumed: invalid_argument: code is empty")
    message(FATAL_ERROR "the Asio consumer built through ${MODE} did not run as expected")
  endif()
endif()

# The look-alike component, where this build has it: a sign-in against InstagramMock.
if(WITH_LOOKALIKE)
  execute_process(COMMAND ${build_dir}/consumer_lookalike RESULT_VARIABLE failed
    OUTPUT_VARIABLE output)
  message(STATUS "${output}")
  if(failed OR NOT output MATCHES
     "Lookalike consumed: signed in as @socialsizzle, deletion for user 17841405793187218")
    message(FATAL_ERROR "the look-alike consumer built through ${MODE} did not run as expected")
  endif()
endif()
