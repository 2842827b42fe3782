/// @file
/// The one error type of the library: a category, Instagram's own fields, and a
/// what() line that never contains a secret.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/meta_usage.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace instagram::oauth {

/// What went wrong, the first thing to branch on (OAuthException::category()).
enum class ErrorCategory {
  api,                   ///< Instagram answered with an error body (any of its shapes)
  authorization_denied,  ///< the redirect carried error=access_denied …
  invalid_redirect,      ///< no code nor error, malformed, or a base other than redirect_uri
  state_mismatch,        ///< expected state missing, different, expired, forged or bound to another
                         ///< browser
  invalid_argument,      ///< a value the caller passed is unusable (names the parameter)
  transport,             ///< DNS, connect, reset, TLS verification, protocol failure
  timeout,               ///< a configured time limit elapsed
  invalid_response,      ///< not the JSON expected: HTML 502, truncated, too large, wrong shape
  system,                ///< the operating system failed a request (the CSPRNG)
  cancelled,             ///< the transport shut down, or the queue was full, before an answer
  invalid_signature      ///< a signed_request or signed value whose signature does not verify
};

/// "api", "authorization_denied", …: the enumerator's name. Never fails; thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string_view to_string(ErrorCategory category) noexcept;

/// Everything an OAuthException carries; fields that do not apply stay empty or 0.
struct ErrorDetails {
  ErrorCategory category = ErrorCategory::invalid_argument;  ///< what went wrong
  std::string error_message;  ///< Instagram's message, or a clear sentence for local errors
  std::string error_type;     ///< "OAuthException", "IGApiException", "access_denied", …
  int code = 0;               ///< Instagram's "code"
  std::string error_reason;   ///< a denial's error_reason ("user_denied")
  int http_status = 0;        ///< 0 when there was no HTTP answer
  std::string body_excerpt;   ///< first ≤ 512 bytes of an unexpected answer, secrets masked
  int error_subcode = 0;      ///< graph.instagram.com's "error_subcode"
  std::string fbtrace_id;     ///< graph.instagram.com's "fbtrace_id"
  std::optional<MetaUsage> meta_usage;  ///< Meta's usage headers, when the answer carried them
};

namespace detail {
/// What an OAuthException shares between its copies: its details and its what() line.
struct StoredError {
  ErrorDetails details;
  std::string what;
  std::string hint;
};
}  // namespace detail

/// The error of every fallible call, held by a Result or thrown by Result::value(): a
/// category to branch on, Instagram's fields when it answered, and what() and hint() lines
/// that never contain a secret. Copies share one immutable state (thread-safe to read).
///
/// @code
/// Result<AccessToken> token = exchanger.exchange(code);
/// if (!token && token.error().category() == ErrorCategory::api) {
///   log(token.error().what());                    // "api: Invalid platform app (…)"
///   if (!token.error().hint().empty()) log(token.error().hint());
/// }
/// @endcode
class INSTAGRAM_OAUTH_EXPORT OAuthException : public std::runtime_error {
 public:
  /// The caller must have masked secrets already; what() is built from these fields.
  explicit OAuthException(ErrorDetails details);
  /// A local error: a category and a sentence, the other fields empty.
  OAuthException(ErrorCategory category, std::string error_message);

  /// One readable line, "category: message (type, code N, HTTP N)", never a secret.
  const char* what() const noexcept override { return stored_->what.c_str(); }

  /// @{
  /// A field of details(), as ErrorDetails describes it.
  ErrorCategory category() const noexcept { return details().category; }
  const std::string& error_type() const noexcept { return details().error_type; }
  int code() const noexcept { return details().code; }
  const std::string& error_message() const noexcept { return details().error_message; }
  const std::string& error_reason() const noexcept { return details().error_reason; }
  int http_status() const noexcept { return details().http_status; }
  const std::string& body_excerpt() const noexcept { return details().body_excerpt; }
  int error_subcode() const noexcept { return details().error_subcode; }
  const std::string& fbtrace_id() const noexcept { return details().fbtrace_id; }
  const std::optional<MetaUsage>& meta_usage() const noexcept { return details().meta_usage; }
  /// @}
  /// Every field at once.
  const ErrorDetails& details() const noexcept { return stored_->details; }

  /// What to do about a known Instagram error ("Invalid platform app": use the Instagram
  /// app ID and secret, not the Meta app's; …), matched on Instagram's code and message in
  /// one table; empty for anything else. Not part of what(), which stays one line.
  const std::string& hint() const noexcept { return stored_->hint; }

 private:
  /// Shared so that copying an exception never throws; one allocation holds it all.
  std::shared_ptr<const detail::StoredError> stored_;
};

}  // namespace instagram::oauth
