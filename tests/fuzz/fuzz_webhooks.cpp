// verify_webhook_signature and webhook_challenge on any text: a result or a clear error,
// never a crash. The first byte picks the function; for the signature, the text up to the
// first line break is the header and the rest the body. A challenge that is returned must
// be what the handshake allows: 1 to 64 digits.
#include <instagram/oauth/webhooks.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool expected_category(const instagram::oauth::OAuthException& error) {
  using instagram::oauth::ErrorCategory;
  return error.category() == ErrorCategory::invalid_argument ||
         error.category() == ErrorCategory::invalid_signature;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    const std::size_t line = text.find('\n');
    const std::string_view header = text.substr(0, line);
    const std::string_view body = line == std::string_view::npos ? "" : text.substr(line + 1);
    const Result<void> verified =
        verify_webhook_signature(body, header, {"instagram-app-secret", "meta-app-secret"});
    if (!verified && !expected_category(verified.error())) __builtin_trap();
  } else {
    const Result<std::string> challenge = webhook_challenge(text, "our-verify-token");
    if (challenge) {
      if (challenge->empty() || challenge->size() > 64) __builtin_trap();
      for (const char c : *challenge) {
        if (c < '0' || c > '9') __builtin_trap();
      }
    } else if (!expected_category(challenge.error())) {
      __builtin_trap();
    }
  }
  return 0;
}
