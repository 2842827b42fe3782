// The secret-leak scan: a program's output must not contain the client secret, a whole
// token, or (outside parse-redirect's answer) a whole code.
#pragma once

#include <instagram/oauth/testing/instagram_mock.hpp>

#include "catch.hpp"
#include "process.hpp"

#include <regex>
#include <string>

namespace instagram::oauth::testing {

// Distinctive, so that a hit cannot be a coincidence.
inline const std::string leak_test_secret = "cs-Distinctive-9f8e7d6c5b4a";

// Every token the look-alike issues starts IGQVJ or IGQWR; every code AQB.
inline void check_no_leak(const ProcessResult& result, const std::string& extra = {},
                          bool code_allowed = false) {
  static const std::regex token("IGQ(VJ|WR)[A-Za-z0-9_-]{20,}");
  static const std::regex code("AQB[A-Za-z0-9_-]{20,}");
  for (const std::string* stream : {&result.out, &result.err}) {
    INFO("output: " << *stream);
    CHECK(stream->find(leak_test_secret) == std::string::npos);
    CHECK_FALSE(std::regex_search(*stream, token));
    if (!code_allowed) CHECK_FALSE(std::regex_search(*stream, code));
    if (!extra.empty()) CHECK(stream->find(extra) == std::string::npos);
  }
}

// No secret of the look-alike's app, nor `extra`, in any text of an error.
inline void check_no_secret(const OAuthException& error, const InstagramMock& mock,
                            const std::string& extra) {
  const std::string secret = mock.app_config().client_secret;
  for (const std::string& text : {std::string(error.what()), error.error_message(),
                                  error.body_excerpt(), error.error_type(), error.error_reason()}) {
    INFO(text);
    CHECK(text.find(secret) == std::string::npos);
    if (!extra.empty()) CHECK(text.find(extra) == std::string::npos);
  }
}

}  // namespace instagram::oauth::testing
