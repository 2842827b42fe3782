#include <instagram/oauth/detail/constant_time.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/telemetry.hpp>
#include <instagram/oauth/webhooks.hpp>

#include "crypto.hpp"

#include <optional>
#include <utility>

namespace instagram::oauth {
namespace {

OAuthException malformed(std::string message) {
  return OAuthException(ErrorCategory::invalid_argument, std::move(message));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "sha256=<64 hex digits>", either case, to the 32 bytes; nullopt for anything else.
std::optional<detail::Sha256Digest> signature_digest(std::string_view header) {
  constexpr std::string_view prefix = "sha256=";
  if (header.size() != prefix.size() + 64 ||
      !detail::iequals(header.substr(0, prefix.size()), prefix)) {
    return std::nullopt;
  }
  detail::Sha256Digest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    const int high = hex_value(header[prefix.size() + 2 * i]);
    const int low = hex_value(header[prefix.size() + 2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return digest;
}

}  // namespace

Result<void> verify_webhook_signature(std::string_view raw_body, std::string_view header_value,
                                      const std::vector<std::string>& app_secrets) {
  if (app_secrets.empty()) return malformed("no app secret to check the webhook signature with");
  for (const std::string& secret : app_secrets) {
    if (secret.empty()) return malformed("an app secret for the webhook signature is empty");
  }
  const std::optional<detail::Sha256Digest> received = signature_digest(header_value);
  if (!received) {
    return malformed("the X-Hub-Signature-256 header is not \"sha256=\" and 64 hex digits");
  }
  // Every secret is tried, so the time does not say which one matched.
  bool verified = false;
  for (const std::string& secret : app_secrets) {
    const detail::Sha256Digest expected = detail::hmac_sha256(secret, raw_body);
    verified |= detail::digests_equal(expected.data(), received->data(), expected.size());
  }
  if (!verified) {
    return OAuthException(ErrorCategory::invalid_signature,
                          "the webhook's X-Hub-Signature-256 does not verify with any app secret");
  }
  return {};
}

Result<std::string> webhook_challenge(std::string_view query, std::string_view verify_token) {
  if (verify_token.empty()) return malformed("the webhook verify token is empty");
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  struct Parameter {
    std::string_view name;
    std::optional<std::string> value;
    bool repeated = false;
  };
  Parameter parameters[] = {{"hub.mode", {}}, {"hub.verify_token", {}}, {"hub.challenge", {}}};
  detail::for_each_query_param(query, [&](std::string_view raw_name, std::string_view raw_value) {
    for (Parameter& parameter : parameters) {
      if (!detail::form_name_equals(raw_name, parameter.name)) continue;
      parameter.repeated |= parameter.value.has_value();
      parameter.value = detail::form_decode(raw_value);
    }
  });
  for (const Parameter& parameter : parameters) {
    if (!parameter.value) return malformed("the handshake has no " + std::string(parameter.name));
    if (parameter.repeated) {
      return malformed("the handshake has " + std::string(parameter.name) + " more than once");
    }
  }
  const auto& [mode, token, challenge] = parameters;
  if (*mode.value != "subscribe") return malformed("hub.mode is not \"subscribe\"");
  if (!detail::constant_time_equals(verify_token, *token.value)) {
    return OAuthException(ErrorCategory::invalid_signature,
                          "hub.verify_token is not this app's verify token");
  }
  const std::string& digits = *challenge.value;
  bool all_digits = !digits.empty() && digits.size() <= 64;
  for (const char c : digits) all_digits &= c >= '0' && c <= '9';
  if (!all_digits) return malformed("hub.challenge is not 1 to 64 digits");
  return digits;
}

Result<void> verify_webhook_signature(std::string_view raw_body, std::string_view header_value,
                                      const std::vector<std::string>& app_secrets,
                                      Telemetry& telemetry) {
  Result<void> verified = verify_webhook_signature(raw_body, header_value, app_secrets);
  try {
    telemetry.webhook_verified(verified.has_value());
  } catch (...) {  // NOLINT(bugprone-empty-catch): telemetry never changes an answer
  }
  return verified;
}

}  // namespace instagram::oauth
