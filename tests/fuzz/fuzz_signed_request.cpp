// parse_signed_request on any text: a result or a clear error, never a crash; a success is
// only possible with a real signature, so anything that verifies must carry digits.
#include <instagram/oauth/signed_request.hpp>

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
  return 0;
}
