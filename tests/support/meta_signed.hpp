// A signed_request as Meta makes one, signed with OpenSSL's HMAC directly (not through the
// library), for the callback tests.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace instagram::oauth::testing {

inline std::string base64url(const std::string& bytes) {
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

inline std::string meta_signed(const std::string& payload_json, const std::string& secret) {
  const std::string payload = base64url(payload_json);
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &size);
  return base64url(std::string(reinterpret_cast<const char*>(digest), size)) + "." + payload;
}

}  // namespace instagram::oauth::testing
