// Tokens at rest (and the component's SHA-256): AES-256-GCM from libcrypto, a random nonce per
// token, the user id as associated data. Private to the PostgreSQL component.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth::postgres {

std::array<unsigned char, 32> sha256(std::string_view data);

// A sealing key: its id (stored beside each token it seals) and the AES-256 key.
struct SealingKey {
  std::string id;
  std::array<unsigned char, 32> aes{};
};

// The keys are long random secrets, used as given (the text itself, not a decoding of it):
// SHA-256 of each is its AES key, and SHA-256 of a labelled copy names it without saying
// anything of it.
SealingKey derive_sealing_key(const std::string& material);

// nonce || ciphertext || tag, or nullopt when libcrypto fails.
std::optional<std::string> seal(const SealingKey& key, std::string_view associated,
                                std::string_view plain);

// The plain text, or nullopt when the tag does not verify (another key, an altered row).
std::optional<std::string> open_sealed(const SealingKey& key, std::string_view associated,
                                       std::string_view sealed);

}  // namespace instagram::oauth::postgres
