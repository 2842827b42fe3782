/// @file
/// What a successful exchange, long-lived exchange or refresh yields.
#pragma once

#include <instagram/oauth/export.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// An access token and what came with it. Printing it (operator<<) shows it redacted.
///
/// @code
/// Result<AccessToken> token = exchanger.exchange(code);
/// if (token && refresh_due(*token, std::chrono::system_clock::now())) { /* … */ }
/// std::cout << *token;  // AccessToken{access_token=IGQV…(redacted), user_id=…}
/// @endcode
struct AccessToken {
  std::string access_token;  ///< a secret: the library never prints it
  /// Decimal digits exactly as sent (ids exceed 2^53). Only the code exchange carries it:
  /// the long-lived exchange and the refresh answer without one, so keep the code
  /// exchange's (it is the key of a TokenStore).
  std::string user_id;
  std::vector<std::string> permissions;            ///< when the answer lists them
  std::string token_type;                          ///< "bearer" for long-lived tokens, else empty
  std::optional<std::chrono::seconds> expires_in;  ///< the lifetime Instagram gave, if any
  std::optional<std::chrono::system_clock::time_point> expires_at;  ///< received_at + expires_in
  std::optional<std::chrono::system_clock::time_point>
      received_at;  ///< when the library received it
};

/// A secret as it may be shown: "IGQV…(redacted)", or "(redacted)" when it is too short
/// for four characters to be harmless. Never fails; thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string redacted(std::string_view secret);

/// Prints every field, with the token shown as redacted() shows it and control characters
/// of anything that came from the server escaped (`\x1b`): nothing can forge a line.
INSTAGRAM_OAUTH_EXPORT std::ostream& operator<<(std::ostream& out, const AccessToken& token);

}  // namespace instagram::oauth
