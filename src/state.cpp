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

}  // namespace instagram::oauth
