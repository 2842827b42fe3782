// The library's one place for randomness, base64url, SHA-256 and HMAC-SHA256 (OpenSSL's libcrypto,
// private to the library: its headers stay out of include/).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth::detail {

using Sha256Digest = std::array<unsigned char, 32>;

// Fills `out` from the operating system's CSPRNG; an error message on failure, never a
// weaker source.
std::string fill_random(unsigned char* out, std::size_t size);

// base64url without padding.
std::string base64url_encode(std::string_view bytes);

// base64url or base64 (Meta's signed_request has been seen with either, and with a
// trailing '='); nullopt for any other character or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

Sha256Digest hmac_sha256(std::string_view key, std::string_view data);

Sha256Digest sha256(std::string_view data);

// Compares in time that depends on the size only (CRYPTO_memcmp).
bool digests_equal(const unsigned char* a, const unsigned char* b, std::size_t size) noexcept;

}  // namespace instagram::oauth::detail
