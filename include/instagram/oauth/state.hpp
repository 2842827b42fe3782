/// @file
/// The CSRF state for the authorization window, and random values a web sign-in keeps and
/// compares (a data-deletion code, a session's logout token).
#pragma once

#include <instagram/oauth/detail/constant_time.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace instagram::oauth {

/// 32 bytes from the operating system's CSPRNG as 43 base64url characters (no padding).
/// A CSPRNG failure is an ErrorCategory::system error, never a weaker source. Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<std::string> try_generate_state();

/// As try_generate_state(), throwing its OAuthException on failure.
INSTAGRAM_OAUTH_EXPORT std::string generate_state();

/// `length` letters and digits from the CSPRNG (62 symbols, unbiased), e.g. the
/// confirmation code of a data-deletion answer, which Meta asks to be alphanumeric.
/// Errors: invalid_argument (a length of 0 or over 256), system (the CSPRNG). Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<std::string> try_generate_alphanumeric(std::size_t length = 32);

/// True when `actual` equals `expected`, in a time that depends on their lengths only, never on
/// where they differ: for a secret a browser sends back (a session's logout token) checked
/// against the one kept, so that the answer's timing tells an attacker nothing. Thread-safe (a
/// pure function).
inline bool constant_time_equals(std::string_view expected, std::string_view actual) noexcept {
  return detail::constant_time_equals(expected, actual);
}

}  // namespace instagram::oauth
