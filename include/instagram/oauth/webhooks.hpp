/// @file
/// Meta's webhooks: the X-Hub-Signature-256 header of each event, and the subscription
/// handshake (GET with hub.mode, hub.verify_token and hub.challenge).
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

class Telemetry;

/// Checks X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of `raw_body`, the bytes as
/// received (Meta escapes non-ASCII as `\u00e4`: a re-serialised body has another signature).
/// The prefix and the hex are accepted in either case. Each of `app_secrets` is tried, in
/// constant time: which secret signs Instagram Login's events (the Instagram app's or the
/// Meta app's) differs by product, and a rotation needs the old one for a while.
/// Errors: invalid_argument (no secret, an empty secret, a header not of that form);
/// invalid_signature (no secret verifies). Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<void> verify_webhook_signature(
    std::string_view raw_body, std::string_view header_value,
    const std::vector<std::string>& app_secrets);

/// As above, and the outcome told to `telemetry.webhook_verified()`: valid or not (an error
/// of either category is "not valid"). What the telemetry throws is dropped. Thread-safe when
/// the telemetry is.
INSTAGRAM_OAUTH_EXPORT Result<void> verify_webhook_signature(
    std::string_view raw_body, std::string_view header_value,
    const std::vector<std::string>& app_secrets, Telemetry& telemetry);

/// The subscription handshake. `query`: the GET's query string (a leading '?' is allowed).
/// Returns hub.challenge, to be answered as the body (text/plain), when hub.mode is
/// "subscribe", hub.verify_token equals `verify_token` (compared in constant time) and the
/// challenge is digits, as Meta sends. Errors: invalid_argument (an empty verify_token, a
/// parameter missing or repeated, another mode, a challenge that is not 1 to 64 digits);
/// invalid_signature (a different verify token). Thread-safe.
INSTAGRAM_OAUTH_EXPORT Result<std::string> webhook_challenge(std::string_view query,
                                                             std::string_view verify_token);

}  // namespace instagram::oauth
