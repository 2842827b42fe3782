#include <instagram/oauth/signed_request.hpp>

#include "crypto.hpp"
#include "json_answer.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth {
namespace {

using nlohmann::json;

OAuthException malformed(std::string message) {
  return OAuthException(ErrorCategory::invalid_argument, std::move(message));
}

OAuthException forged(std::string message) {
  return OAuthException(ErrorCategory::invalid_signature, std::move(message));
}

std::optional<std::int64_t> int64_field(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer()) return std::nullopt;
  return found->get<std::int64_t>();
}

}  // namespace

Result<SignedRequest> parse_signed_request(std::string_view signed_request,
                                           std::string_view app_secret) {
  if (app_secret.empty()) return malformed("the app secret is empty");
  return parse_signed_request(signed_request, std::vector<std::string>{std::string(app_secret)});
}

Result<SignedRequest> parse_signed_request(std::string_view signed_request,
                                           const std::vector<std::string>& app_secrets,
                                           std::optional<std::chrono::seconds> max_age,
                                           std::chrono::system_clock::time_point now) {
  if (app_secrets.empty()) return malformed("no app secret to check the signed_request with");
  for (const std::string& secret : app_secrets) {
    if (secret.empty()) return malformed("the app secret is empty");
  }
  if (max_age && max_age->count() <= 0) {
    return malformed("max_age must be positive (0 or less would refuse everything)");
  }
  const std::size_t dot = signed_request.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == signed_request.size()) {
    return malformed("the signed_request is not signature.payload");
  }
  const std::string_view payload_text = signed_request.substr(dot + 1);
  const std::optional<std::string> signature =
      detail::base64url_decode(signed_request.substr(0, dot));
  if (!signature) return malformed("the signed_request's signature is not base64url");
  std::optional<std::string> payload = detail::base64url_decode(payload_text);
  if (!payload) return malformed("the signed_request's payload is not base64url");
  // Over the payload as sent, still encoded; the decoded digests are compared, for every
  // secret, so the time does not say which one matched.
  bool verified = false;
  for (const std::string& secret : app_secrets) {
    const detail::Sha256Digest expected = detail::hmac_sha256(secret, payload_text);
    verified |= signature->size() == expected.size() &&
                detail::digests_equal(expected.data(),
                                      reinterpret_cast<const unsigned char*>(signature->data()),
                                      expected.size());
  }
  if (!verified) {
    return forged(app_secrets.size() == 1
                      ? "the signed_request's signature does not verify with the app secret"
                      : "the signed_request's signature does not verify with any app secret");
  }
  const json parsed = json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return malformed("the signed_request's payload is not a JSON object");
  }
  SignedRequest request;
  request.algorithm = detail::string_field(parsed, "algorithm");
  if (request.algorithm != "HMAC-SHA256") {
    return forged("the signed_request's algorithm is not HMAC-SHA256");
  }
  const auto user_id = parsed.find("user_id");
  std::optional<std::string> digits =
      user_id == parsed.end() ? std::nullopt : detail::id_field(*user_id);
  if (!digits) return malformed("the signed_request has no user_id of decimal digits");
  request.user_id = std::move(*digits);
  request.issued_at = int64_field(parsed, "issued_at");
  request.expires = int64_field(parsed, "expires");
  if (max_age) {
    if (!request.issued_at) {
      return forged("the signed_request has no issued_at, so its age cannot be checked");
    }
    const std::int64_t now_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    // Compared without overflow: issued_at may be any 64-bit number.
    const std::int64_t issued = *request.issued_at;
    const std::int64_t window = max_age->count();
    if (issued < now_seconds - window) {
      return forged("the signed_request was issued more than " + std::to_string(window) +
                    " s ago (max_age): a replay is refused");
    }
    if (issued > now_seconds + window) {
      return forged("the signed_request is dated more than " + std::to_string(window) +
                    " s ahead of this clock");
    }
  }
  request.payload_json = std::move(*payload);
  return request;
}

std::string data_deletion_response(std::string_view status_url,
                                   std::string_view confirmation_code) {
  // Invalid UTF-8 is replaced rather than thrown: nothing but a string leaves this call.
  return json{{"url", status_url}, {"confirmation_code", confirmation_code}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace instagram::oauth
