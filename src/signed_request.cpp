#include <instagram/oauth/signed_request.hpp>

#include "crypto.hpp"
#include "json_answer.hpp"

#include <nlohmann/json.hpp>

#include <utility>

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
  // Over the payload as sent, still encoded; the decoded digests are compared.
  const detail::Sha256Digest expected = detail::hmac_sha256(app_secret, payload_text);
  if (signature->size() != expected.size() ||
      !detail::digests_equal(expected.data(),
                             reinterpret_cast<const unsigned char*>(signature->data()),
                             expected.size())) {
    return forged("the signed_request's signature does not verify with the app secret");
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
