// The one place where secrets are masked out of text that may be shown: error messages,
// body excerpts, what().
#pragma once

#include <instagram/oauth/error.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace instagram::oauth::detail {

inline constexpr std::string_view redaction_marker = "(redacted)";

// `text` with every occurrence of a known secret, and the value after any
// access_token / client_secret / code / refresh_token key (JSON strings and form or
// query values), replaced by "(redacted)".
std::string mask_secrets(std::string_view text, std::initializer_list<std::string_view> known = {});

// The first ≤ 512 bytes of an unexpected answer, masked.
std::string body_excerpt(std::string_view body, std::initializer_list<std::string_view> known = {});

// The same error with every text field masked; `error` itself when nothing changes.
OAuthException mask_error(const OAuthException& error,
                          std::initializer_list<std::string_view> known);

}  // namespace instagram::oauth::detail
