// RedirectParser::parse on arbitrary bytes: a category or a code, never a crash.
// The first byte picks whether a state is expected.
#include <instagram/oauth/redirect_parser.hpp>

#include "sample_app.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth;
  if (size == 0) return 0;
  static const AppConfig config = instagram::oauth::testing::sample_app();
  RedirectParser parser(config);
  if (data[0] & 1) parser.expected_state("s1");
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const Result<AuthorizationCode> result = parser.parse(input);
  if (result) {
    if (result->code.empty()) __builtin_trap();  // an empty code is never a success
    if ((data[0] & 1) && result->state != "s1") __builtin_trap();
  } else if (result.error().error_message().empty()) {
    __builtin_trap();
  }
  return 0;
}
