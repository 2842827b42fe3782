# The optional parts (tests, examples, the command, the PostgreSQL, Prometheus and Asio
# components,
# the look-alike,
# benchmarks, fuzzers) and the packages each needs. A part that is not asked for defaults on
# only at top level and only when its packages are found; a status line says what was left
# out and why.
# Asked for explicitly (-DINSTAGRAM_OAUTH_BUILD_X=ON, or a parent's variable), a missing
# package is a configure error naming it. The library itself needs none of these.
# cpp-httplib ships only a pkg-config file; CMAKE_DISABLE_FIND_PACKAGE_httplib hides it
# as CMAKE_DISABLE_FIND_PACKAGE_<name> hides the others.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND NOT CMAKE_DISABLE_FIND_PACKAGE_httplib)
  pkg_check_modules(CPP_HTTPLIB QUIET IMPORTED_TARGET GLOBAL cpp-httplib)
endif()
find_package(Catch2 QUIET)
find_package(CLI11 2.1 CONFIG QUIET)
find_package(Threads QUIET)
find_package(PostgreSQL QUIET)
find_package(prometheus-cpp CONFIG QUIET)  # Debian 1.0.1 ships no version file
find_package(Boost 1.74 QUIET)             # the Asio component: Boost.Asio's headers only

set(_io_missing_httplib "")
if(NOT CPP_HTTPLIB_FOUND)
  set(_io_missing_httplib "cpp-httplib (Debian: libcpp-httplib-dev)")
endif()
# The look-alike makes its certificates with EVP_EC_gen: OpenSSL 3.0.
set(_io_missing_ssl "")
if(NOT TARGET OpenSSL::SSL OR OPENSSL_VERSION VERSION_LESS 3.0)
  set(_io_missing_ssl "OpenSSL 3.0 with libssl (Debian: libssl-dev)")
endif()
set(_io_missing_libpq "")
if(NOT PostgreSQL_FOUND)
  set(_io_missing_libpq "libpq (Debian: libpq-dev)")
endif()
set(_io_missing_prometheus "")
if(NOT prometheus-cpp_FOUND)
  set(_io_missing_prometheus "prometheus-cpp (Debian: prometheus-cpp-dev)")
endif()
set(_io_missing_boost "")
if(NOT TARGET Boost::headers)
  set(_io_missing_boost "Boost.Asio 1.74 (Debian: libboost-dev)")
endif()
set(_io_missing_catch2 "")
if(NOT Catch2_FOUND)
  set(_io_missing_catch2 "Catch2 (Debian: catch2)")
endif()
set(_io_missing_cli11 "")
if(NOT CLI11_FOUND)
  set(_io_missing_cli11 "CLI11 2.1 (Debian: libcli11-dev)")
endif()

# instagram_oauth_part(PART "description" DEFAULT_ON missing-package-descriptions...)
# Sets INSTAGRAM_OAUTH_BUILD_<PART>. Defaults are normal variables, never cached, so that
# they follow what is installed at each configure and never leak into a parent project.
# At top level the option is also a cache entry with its help, so that `cmake -LH` lists it;
# empty there means "decide from what is installed". A parent project gets no cache entry.
macro(instagram_oauth_part part description default_on)
  set(_io_option INSTAGRAM_OAUTH_BUILD_${part})
  if(PROJECT_IS_TOP_LEVEL)
    if(${default_on})
      set(_io_help "Build ${description}: ON, OFF, or empty for ON when their packages are found")
    else()
      set(_io_help "Build ${description}: ON or OFF (empty: OFF)")
    endif()
    set(${_io_option} "" CACHE STRING "${_io_help}")
    set_property(CACHE ${_io_option} PROPERTY STRINGS "" ON OFF)
  endif()
  set(_io_missing "")
  foreach(_io_package IN ITEMS ${ARGN})
    if(_io_package)
      list(APPEND _io_missing "${_io_package}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES _io_missing)
  list(JOIN _io_missing ", " _io_missing_text)
  if(NOT "${${_io_option}}" STREQUAL "")
    if(${_io_option} AND _io_missing)
      message(FATAL_ERROR "${_io_option} is ON, but ${description} need ${_io_missing_text}: "
        "install it (scripts/setup-deps.sh does) or set ${_io_option}=OFF")
    endif()
  elseif(${default_on} AND PROJECT_IS_TOP_LEVEL)
    if(_io_missing)
      message(STATUS "instagram-oauth: leaving out ${description}: ${_io_missing_text} not found")
      set(${_io_option} OFF)
    else()
      set(${_io_option} ON)
    endif()
  else()
    set(${_io_option} OFF)
  endif()
endmacro()

instagram_oauth_part(POSTGRES "the PostgreSQL component" ON "${_io_missing_libpq}")
instagram_oauth_part(PROMETHEUS "the Prometheus component" ON "${_io_missing_prometheus}")
instagram_oauth_part(ASIO "the Asio component" ON "${_io_missing_boost}")
instagram_oauth_part(LOOKALIKE "the Instagram look-alike" ON
  "${_io_missing_httplib}" "${_io_missing_ssl}")
instagram_oauth_part(TOOLS "the instagram-oauth command" ON
  "${_io_missing_cli11}" "${_io_missing_httplib}" "${_io_missing_ssl}")
instagram_oauth_part(EXAMPLES "the examples" ON "${_io_missing_httplib}" "${_io_missing_ssl}")
instagram_oauth_part(TESTS "the tests" ON
  "${_io_missing_catch2}" "${_io_missing_httplib}" "${_io_missing_ssl}")
set(_io_missing_benchmark "")
if(INSTAGRAM_OAUTH_BUILD_BENCHMARKS)
  find_package(benchmark QUIET)
  find_package(boost_url 1.81 CONFIG QUIET)
  if(NOT benchmark_FOUND)
    list(APPEND _io_missing_benchmark "Google Benchmark (Debian: libbenchmark-dev)")
  endif()
  if(NOT boost_url_FOUND)
    list(APPEND _io_missing_benchmark "Boost.URL 1.81 (Debian: libboost-url1.81-dev)")
  endif()
endif()
instagram_oauth_part(BENCHMARKS "the benchmarks" OFF
  ${_io_missing_benchmark} "${_io_missing_httplib}" "${_io_missing_ssl}")
instagram_oauth_part(FUZZERS "the libFuzzer targets" OFF)
# Whatever uses the look-alike brings it in.
if(INSTAGRAM_OAUTH_BUILD_TESTS OR INSTAGRAM_OAUTH_BUILD_TOOLS OR INSTAGRAM_OAUTH_BUILD_EXAMPLES
   OR INSTAGRAM_OAUTH_BUILD_BENCHMARKS)
  set(INSTAGRAM_OAUTH_BUILD_LOOKALIKE ON)
endif()
