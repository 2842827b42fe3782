#include <instagram/oauth/state.hpp>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#if defined(_WIN32)
#include <bcrypt.h>
#include <windows.h>
#elif defined(__linux__)
#include <sys/random.h>
#else
#include <stdlib.h>  // arc4random_buf on the BSDs and macOS
#endif

namespace instagram::oauth {
namespace {

constexpr std::size_t state_bytes = 32;  // 256 bits

// Fills `out` from the OS CSPRNG; an error message on failure, never a weaker source.
std::string fill_random(std::array<unsigned char, state_bytes>& out) {
#if defined(_WIN32)
  if (BCryptGenRandom(nullptr, out.data(), static_cast<ULONG>(out.size()),
                      BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
    return "BCryptGenRandom failed";
  }
#elif defined(__linux__)
  std::size_t filled = 0;
  while (filled < out.size()) {
    const ssize_t got = getrandom(out.data() + filled, out.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::string("getrandom failed: ") + std::strerror(errno);
    }
    filled += static_cast<std::size_t>(got);
  }
#else
  arc4random_buf(out.data(), out.size());
#endif
  return {};
}

std::string base64url(const unsigned char* data, std::size_t size) {
  constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 8 + 5) / 6);
  unsigned buffer = 0;
  int bits = 0;  // bits in `buffer` not yet written
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];  // no padding
  return out;
}

}  // namespace

Result<std::string> try_generate_state() {
  std::array<unsigned char, state_bytes> bytes{};
  if (std::string problem = fill_random(bytes); !problem.empty()) {
    return OAuthException(ErrorCategory::system, std::move(problem));
  }
  return base64url(bytes.data(), bytes.size());
}

std::string generate_state() {
  return try_generate_state().value();
}

}  // namespace instagram::oauth
