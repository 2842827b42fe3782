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
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned n = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8) | data[i + 2];
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (size - i == 1) {
    const unsigned n = unsigned{data[i]} << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
  } else if (size - i == 2) {
    const unsigned n = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
  }
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
