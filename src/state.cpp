#include <instagram/oauth/state.hpp>

#include "crypto.hpp"

#include <array>
#include <string>

namespace instagram::oauth {

Result<std::string> try_generate_state() {
  std::array<unsigned char, 32> bytes{};  // 256 bits
  if (std::string problem = detail::fill_random(bytes.data(), bytes.size()); !problem.empty()) {
    return OAuthException(ErrorCategory::system, std::move(problem));
  }
  return detail::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string generate_state() {
  return try_generate_state().value();
}

Result<std::string> try_generate_alphanumeric(std::size_t length) {
  if (length == 0 || length > 256) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "an alphanumeric code is 1 to 256 characters long");
  }
  constexpr char symbols[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string code;
  code.reserve(length);
  std::array<unsigned char, 64> bytes{};
  while (code.size() < length) {
    if (std::string problem = detail::fill_random(bytes.data(), bytes.size()); !problem.empty()) {
      return OAuthException(ErrorCategory::system, std::move(problem));
    }
    for (const unsigned char byte : bytes) {
      // 248 = 4 × 62: bytes above it are dropped, so every symbol is equally likely.
      if (byte < 248 && code.size() < length) code += symbols[byte % 62];
    }
  }
  return code;
}

}  // namespace instagram::oauth
