// The masker: for a known secret (URL-safe, 8 to 64 characters, as codes, tokens and client
// secrets are) and any text, no 8-character window of the secret survives in the masked
// text or the excerpt, and the excerpt stays within 512 bytes.
#include "secret_mask.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool keeps_a_window(const std::string& output, std::string_view secret) {
  for (std::size_t at = 0; at + 8 <= secret.size(); ++at) {
    if (output.find(secret.substr(at, 8)) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth::detail;
  if (size < 2) return 0;
  constexpr char url_safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t length = 8 + data[0] % 57;
  std::string secret;
  for (std::size_t i = 0; i < length; ++i) secret += url_safe[data[1 + i % (size - 1)] & 63];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string masked = mask_secrets(text, {secret});
  const std::string excerpt = body_excerpt(text, {secret});
  if (keeps_a_window(masked, secret) || keeps_a_window(excerpt, secret)) __builtin_trap();
  if (excerpt.size() > excerpt_limit) __builtin_trap();
  return 0;
}
