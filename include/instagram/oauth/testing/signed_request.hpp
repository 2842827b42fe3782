/// @file
/// Component InstagramOAuth::Lookalike: Meta's signed_request, made as Meta makes it, for
/// tests of a deauthorize or data-deletion callback (parse_signed_request reads it).
///
///   const std::string form = "signed_request=" +
///       make_signed_request_for_user("17841405793187218", app_secret);
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace instagram::oauth::testing {

/// base64url(HMAC-SHA256(app_secret, payload)) "." payload, payload = base64url(payload_json),
/// unpadded, the JSON signed as given (tests of odd payloads). Never fails; thread-safe.
std::string make_signed_request(std::string_view payload_json, std::string_view app_secret);

/// What Meta sends for a user: {"algorithm":"HMAC-SHA256","issued_at":…,"user_id":"…"}.
std::string make_signed_request_for_user(
    std::string_view user_id, std::string_view app_secret,
    std::chrono::system_clock::time_point issued_at = std::chrono::system_clock::now());

}  // namespace instagram::oauth::testing
