// parse_signed_request on any text: a result or a clear error, never a crash; a success is
// only possible with a real signature, so anything that verifies must carry digits.
#include <instagram/oauth/signed_request.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<SignedRequest> request = parse_signed_request(text, "appsecret");
  if (request && (request->user_id.empty() || request->algorithm != "HMAC-SHA256")) {
    __builtin_trap();
  }
  if (!request && request.error().category() != ErrorCategory::invalid_argument &&
      request.error().category() != ErrorCategory::invalid_signature) {
    __builtin_trap();
  }
  // Several secrets and a replay window: it can only refuse more, never accept what the
  // single secret refused.
  const Result<SignedRequest> windowed =
      parse_signed_request(text, {"other-secret", "appsecret"}, std::chrono::seconds(300),
                           std::chrono::system_clock::time_point(std::chrono::seconds(1291836800)));
  if (windowed && !request) __builtin_trap();
  if (windowed && (!windowed->issued_at || *windowed->issued_at < 1291836500 ||
                   *windowed->issued_at > 1291837100)) {
    __builtin_trap();
  }
  return 0;
}
