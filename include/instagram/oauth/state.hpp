/// @file
/// The CSRF state for the authorization window.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <cstddef>
#include <string>

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

}  // namespace instagram::oauth
