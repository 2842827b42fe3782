// The one place where secrets are masked out of text that may be shown: error messages,
// body excerpts, what(). One linear pass over the text, however hostile.
#pragma once

#include <instagram/oauth/detail/proxy.hpp>  // mask_known, redaction_marker
#include <instagram/oauth/error.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace instagram::oauth::detail {

inline constexpr std::size_t excerpt_limit = 512;
// Codes, secrets and tokens are long; a shorter value is not masked by content (it would
// only mangle the text around it), and no run of this many characters of a longer one
// survives masking.
inline constexpr std::size_t secret_window = 8;

// Values known to be secret in one exchange: the client secret, the code or the token.
using Secrets = std::initializer_list<std::string_view>;

// `text` with every run of it that shares 8 or more characters with a known secret, and
// the value after any access_token / client_secret / code / refresh_token key, replaced by
// "(redacted)". The value is found in every spelling a body may give it: JSON strings
// (double or single quotes), a bare `key: value`, form and query values (`key=value`, also
// percent-encoded `key%3Dvalue`) and XML elements (`<key>value</key>`). Matching sees through JSON
// whitespace, \uXXXX and \/ escapes and percent-encoding of URL-safe characters, so a
// secret spelled another way is masked too.
std::string mask_secrets(std::string_view text, Secrets known = {});

// The first ≤ 512 bytes of an unexpected answer, masked whole before it is cut.
std::string body_excerpt(std::string_view body, Secrets known = {});

// The same error with every text field masked (the excerpt still ≤ 512 bytes); `error`
// itself when nothing changes.
OAuthException mask_error(const OAuthException& error, Secrets known);

}  // namespace instagram::oauth::detail
