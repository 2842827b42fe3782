/// @file
/// Meta's Deauthorize and Data Deletion callbacks: a POSTed `signed_request` form field,
/// base64url(HMAC-SHA256 signature) "." base64url(JSON payload), keyed with the app secret.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// A verified signed_request, as Meta's deauthorize and data-deletion callbacks send it.
/// For an Instagram app, user_id is the Instagram user id the code exchange returned
/// (AccessToken::user_id): the key to delete the user's data by.
struct SignedRequest {
  std::string user_id;    ///< exact digits, whether the payload had a string or a number
  std::string algorithm;  ///< "HMAC-SHA256"
  std::optional<std::int64_t> issued_at;  ///< seconds since the epoch, when present
  std::optional<std::int64_t> expires;    ///< seconds since the epoch, when present
  std::string payload_json;  ///< the decoded payload, for fields this struct does not name
};

/// Verifies and reads a signed_request. The signature is checked over the payload as sent
/// (still encoded), comparing the decoded 32-byte digests in constant time; padding and the
/// base64 alphabet (+/) are tolerated. Errors: invalid_argument (an empty app secret, text
/// that is not signature.payload, a payload that is not a JSON object, no user_id);
/// invalid_signature (a signature that does not verify, an algorithm other than
/// HMAC-SHA256). Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<SignedRequest> parse_signed_request(std::string_view signed_request,
                                                                  std::string_view app_secret);

/// The same with several secrets (the Instagram app's and the Meta app's, or an old one in
/// rotation; any one that verifies will do, each tried in constant time) and, when
/// `max_age` is given, a replay window: issued_at must be present and within max_age of
/// `now`, either way (a clock ahead by less than max_age is tolerated). Errors: those above;
/// invalid_argument also for no secret, an empty one, or a max_age of 0 or less;
/// invalid_signature also for a signed_request older than max_age, dated further ahead, or
/// without issued_at when max_age is given. Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<SignedRequest> parse_signed_request(
    std::string_view signed_request, const std::vector<std::string>& app_secrets,
    std::optional<std::chrono::seconds> max_age = std::nullopt,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// The JSON a data-deletion callback answers: {"url":"…","confirmation_code":"…"}, escaped.
/// `confirmation_code` should be alphanumeric, as Meta asks. Thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string data_deletion_response(std::string_view status_url,
                                                          std::string_view confirmation_code);

}  // namespace instagram::oauth
