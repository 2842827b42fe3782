// StateSigner::verify on any text: never accepted without the key (a success would be a
// forgery), never a crash; only state_mismatch or invalid_argument.
#include <instagram/oauth/signed_state.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth;
  static const StateSigner signer =
      StateSigner::create({std::string(32, 'k'), std::string(40, 'q')}).value();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<std::string> verified = signer.verify(text, "fuzz-binding");
  if (verified) __builtin_trap();
  const ErrorCategory category = verified.error().category();
  if (category != ErrorCategory::state_mismatch && category != ErrorCategory::invalid_argument) {
    __builtin_trap();
  }
  return 0;
}
