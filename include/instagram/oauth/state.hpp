// The CSRF state for the authorization window.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <string>

namespace instagram::oauth {

// 32 bytes from the operating system's CSPRNG as 43 base64url characters (no padding).
// A CSPRNG failure is an ErrorCategory::system error, never a weaker source. Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<std::string> try_generate_state();

// As try_generate_state(), throwing its OAuthException on failure.
INSTAGRAM_OAUTH_EXPORT std::string generate_state();

}  // namespace instagram::oauth
