#include <instagram/oauth/testing/signed_request.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

namespace instagram::oauth::testing {
namespace {

std::string base64url(std::string_view bytes) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    for (bits += 8; bits >= 6; bits -= 6) out += alphabet[(buffer >> (bits - 6)) & 63];
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];
  return out;
}

}  // namespace

std::string make_signed_request(std::string_view payload_json, std::string_view app_secret) {
  const std::string payload = base64url(payload_json);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), app_secret.data(), static_cast<int>(app_secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &size);
  return base64url(std::string_view(reinterpret_cast<const char*>(digest), size)) + "." + payload;
}

std::string make_signed_request_for_user(std::string_view user_id, std::string_view app_secret,
                                         std::chrono::system_clock::time_point issued_at) {
  const nlohmann::json payload = {
      {"algorithm", "HMAC-SHA256"},
      {"issued_at",
       std::chrono::duration_cast<std::chrono::seconds>(issued_at.time_since_epoch()).count()},
      {"user_id", user_id}};
  return make_signed_request(payload.dump(), app_secret);
}

}  // namespace instagram::oauth::testing
