#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/signed_state.hpp>

#include "crypto.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace instagram::oauth {
namespace {

// version(1) key_id(4) issued_at(8, big-endian seconds) nonce(16) binding_tag(16)
// return_to(n) mac(32); the mac covers everything before it.
constexpr unsigned char version = 1;
constexpr std::size_t key_id_size = 4;
constexpr std::size_t nonce_size = 16;
constexpr std::size_t tag_size = 16;
constexpr std::size_t header_size = 1 + key_id_size + 8 + nonce_size + tag_size;
constexpr std::size_t mac_size = 32;
constexpr std::size_t shortest_key = 32;
constexpr std::size_t longest_return_to = 1024;

// Each use of a key gets its own domain, so that no value serves as another.
std::string derived(std::string_view key, std::string_view purpose, std::string_view data) {
  std::string input(purpose);
  input += '\0';
  input += data;
  const detail::Sha256Digest digest = detail::hmac_sha256(key, input);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string key_id(std::string_view key) {
  return derived(key, "instagram-oauth state key id", {}).substr(0, key_id_size);
}

std::string binding_tag(std::string_view key, std::string_view binding) {
  return derived(key, "instagram-oauth state binding", binding).substr(0, tag_size);
}

std::string mac(std::string_view key, std::string_view signed_part) {
  return derived(key, "instagram-oauth state v1", signed_part);
}

OAuthException mismatch(std::string message) {
  return OAuthException(ErrorCategory::state_mismatch, std::move(message));
}

std::string return_to_problem(std::string_view return_to) {
  if (return_to.empty()) return {};
  if (return_to.size() > longest_return_to) return "return_to is longer than 1024 bytes";
  if (return_to.front() != '/' || (return_to.size() > 1 && return_to[1] == '/')) {
    return "return_to must be a path on this site, starting with a single '/'";
  }
  for (const char c : return_to) {
    if (c == '\\' || detail::is_control(c)) {
      return "return_to must not contain backslashes or control characters";
    }
  }
  return {};
}

}  // namespace

StateSigner::StateSigner(std::vector<std::string> keys, std::chrono::seconds ttl, Clock clock)
    : StateSigner(Unchecked{}, std::move(keys), ttl, std::move(clock)) {}

StateSigner::StateSigner(Unchecked, std::vector<std::string> keys, std::chrono::seconds ttl,
                         Clock clock)
    : keys_(std::move(keys)),
      ttl_(ttl),
      clock_(clock ? std::move(clock) : Clock(&std::chrono::system_clock::now)) {
  if (keys_.empty()) problem_ = "StateSigner needs at least one key";
  for (const std::string& key : keys_) {
    if (key.size() < shortest_key) problem_ = "each StateSigner key must be at least 32 bytes";
  }
  if (ttl_.count() <= 0) problem_ = "the StateSigner ttl must be positive";
}

Result<StateSigner> StateSigner::create(std::vector<std::string> keys, std::chrono::seconds ttl,
                                        Clock clock) {
  StateSigner signer(Unchecked{}, std::move(keys), ttl, std::move(clock));
  if (!signer.problem_.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, signer.problem_);
  }
  return signer;
}

Result<std::string> StateSigner::issue(std::string_view browser_binding,
                                       std::string_view return_to) const {
  if (!problem_.empty()) return OAuthException(ErrorCategory::invalid_argument, problem_);
  if (browser_binding.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, "the browser binding is empty");
  }
  if (std::string problem = return_to_problem(return_to); !problem.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
  }
  const std::string& key = keys_.front();
  std::string state;
  state.reserve(header_size + return_to.size() + mac_size);
  state += static_cast<char>(version);
  state += key_id(key);
  const auto issued =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  for (int shift = 56; shift >= 0; shift -= 8) {
    state += static_cast<char>((static_cast<std::uint64_t>(issued) >> shift) & 0xFF);
  }
  std::array<unsigned char, nonce_size> nonce{};
  if (std::string problem = detail::fill_random(nonce.data(), nonce.size()); !problem.empty()) {
    return OAuthException(ErrorCategory::system, std::move(problem));
  }
  state.append(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  state += binding_tag(key, browser_binding);
  state += return_to;
  state += mac(key, state);
  return detail::base64url_encode(state);
}

Result<std::string> StateSigner::verify(std::string_view state,
                                        std::string_view browser_binding) const {
  if (!problem_.empty()) return OAuthException(ErrorCategory::invalid_argument, problem_);
  // At the callback the binding comes from the browser's cookie: none is the user's browser
  // (the cookie expired, another browser), a mismatch like any other, never a match.
  if (browser_binding.empty()) {
    return mismatch(
        "this browser holds no sign-in binding (its cookie expired, or the sign-in began in "
        "another browser)");
  }
  if (state.empty()) return OAuthException(ErrorCategory::invalid_argument, "the state is empty");
  const std::optional<std::string> bytes = detail::base64url_decode(state);
  // Only the spelling issue() makes: no padding bits set, no '+/', no '=': one state, one text.
  if (!bytes || bytes->empty() || static_cast<unsigned char>(bytes->front()) != version ||
      detail::base64url_encode(*bytes) != state) {
    return mismatch("the state is not one this site signed (malformed)");
  }
  if (bytes->size() < header_size + mac_size) return mismatch("the state is truncated");
  const std::string_view whole(*bytes);
  const std::string_view signed_part = whole.substr(0, whole.size() - mac_size);
  const std::string_view sent_mac = whole.substr(whole.size() - mac_size);
  const std::string_view sent_key_id = whole.substr(1, key_id_size);
  const std::string* key = nullptr;
  for (const std::string& candidate : keys_) {
    if (key_id(candidate) == sent_key_id) key = &candidate;
  }
  if (key == nullptr) {
    return mismatch("the state was signed with a key that is no longer configured");
  }
  const std::string expected_mac = mac(*key, signed_part);
  if (!detail::digests_equal(reinterpret_cast<const unsigned char*>(expected_mac.data()),
                             reinterpret_cast<const unsigned char*>(sent_mac.data()), mac_size)) {
    return mismatch("the state's signature does not verify: it was forged or altered");
  }
  const std::string expected_tag = binding_tag(*key, browser_binding);
  const std::string_view sent_tag = whole.substr(header_size - tag_size, tag_size);
  if (!detail::digests_equal(reinterpret_cast<const unsigned char*>(expected_tag.data()),
                             reinterpret_cast<const unsigned char*>(sent_tag.data()), tag_size)) {
    return mismatch("the state was issued to another browser");
  }
  std::uint64_t issued = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    issued = (issued << 8) | static_cast<unsigned char>(whole[1 + key_id_size + i]);
  }
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  const auto age = now - static_cast<std::int64_t>(issued);
  if (age > ttl_.count()) {
    return mismatch("the state expired (issued " + std::to_string(age) + " s ago, valid for " +
                    std::to_string(ttl_.count()) + " s)");
  }
  if (age < -60) return mismatch("the state was issued in the future");
  return std::string(signed_part.substr(header_size));
}

}  // namespace instagram::oauth
