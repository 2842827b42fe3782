#include "seal.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstddef>
#include <memory>

namespace instagram::oauth::postgres {
namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* context) const noexcept { EVP_CIPHER_CTX_free(context); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

}  // namespace

std::array<unsigned char, 32> sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

SealingKey derive_sealing_key(const std::string& material) {
  SealingKey key;
  key.aes = sha256(material);
  const auto id = sha256(std::string("instagram-oauth token key id\n") + material);
  constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < 8; ++i) {
    key.id += hex[id[i] >> 4];
    key.id += hex[id[i] & 15];
  }
  return key;
}

std::optional<std::string> seal(const SealingKey& key, std::string_view associated,
                                std::string_view plain) {
  std::string out(nonce_size + plain.size() + tag_size, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(bytes, static_cast<int>(nonce_size)) != 1) return std::nullopt;
  Cipher context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool sealed =
      context &&
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.aes.data(), bytes) == 1 &&
      EVP_EncryptUpdate(context.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_EncryptUpdate(context.get(), bytes + nonce_size, &length,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(context.get(), bytes + nonce_size + length, &final_length) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size),
                          bytes + nonce_size + plain.size()) == 1;
  if (!sealed) return std::nullopt;
  return out;
}

std::optional<std::string> open_sealed(const SealingKey& key, std::string_view associated,
                                       std::string_view sealed) {
  if (sealed.size() < nonce_size + tag_size) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::size_t cipher_size = sealed.size() - nonce_size - tag_size;
  std::string plain(cipher_size, '\0');
  std::array<unsigned char, tag_size> tag{};
  std::copy(bytes + nonce_size + cipher_size, bytes + sealed.size(), tag.begin());
  Cipher context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool opened =
      context &&
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.aes.data(), bytes) == 1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char*>(plain.data()), &length,
                        bytes + nonce_size, static_cast<int>(cipher_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(plain.data()) + length,
                          &final_length) == 1;
  if (!opened) return std::nullopt;
  return plain;
}

}  // namespace instagram::oauth::postgres
