#include <instagram/oauth/session_store.hpp>

#include <instagram/oauth/state.hpp>
#include <instagram/oauth/token_store.hpp>  // stored_user_id_problem

#include "crypto.hpp"

#include <iterator>
#include <utility>

namespace instagram::oauth {
namespace {

OAuthException unusable(std::string message) {
  return OAuthException(ErrorCategory::invalid_argument, std::move(message));
}

std::string id_hash(std::string_view id) {
  const detail::Sha256Digest digest = detail::sha256(id);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

MemorySessionStore::MemorySessionStore(Clock clock) : clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

Result<Session> MemorySessionStore::create(std::string_view user_id,
                                           std::chrono::seconds lifetime) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  if (lifetime.count() <= 0) return unusable("a session's lifetime must be positive");
  Result<std::string> id = try_generate_state();  // 256 bits from the CSPRNG, base64url
  if (!id) return id.error();
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto entry = by_hash_.begin(); entry != by_hash_.end();) {
    entry = entry->second.expires_at <= now ? by_hash_.erase(entry) : std::next(entry);
  }
  by_hash_[id_hash(*id)] = Entry{std::string(user_id), now + lifetime};
  return Session{std::move(*id), std::string(user_id), now + lifetime};
}

Result<std::optional<Session>> MemorySessionStore::load(std::string_view id) {
  if (id.empty()) return unusable("the session id is empty");
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_hash_.find(id_hash(id));
  if (found == by_hash_.end() || found->second.expires_at <= now) {
    return std::optional<Session>();
  }
  return std::optional<Session>(
      Session{std::string(id), found->second.user_id, found->second.expires_at});
}

Result<void> MemorySessionStore::touch(std::string_view id, std::chrono::seconds lifetime) {
  if (id.empty()) return unusable("the session id is empty");
  if (lifetime.count() <= 0) return unusable("a session's lifetime must be positive");
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_hash_.find(id_hash(id));
  if (found != by_hash_.end() && found->second.expires_at > now) {
    found->second.expires_at = now + lifetime;
  }
  return {};
}

Result<bool> MemorySessionStore::remove(std::string_view id) {
  if (id.empty()) return unusable("the session id is empty");
  std::lock_guard<std::mutex> lock(mutex_);
  return by_hash_.erase(id_hash(id)) > 0;
}

Result<std::size_t> MemorySessionStore::remove_user(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t removed = 0;
  for (auto entry = by_hash_.begin(); entry != by_hash_.end();) {
    if (entry->second.user_id == user_id) {
      entry = by_hash_.erase(entry);
      ++removed;
    } else {
      ++entry;
    }
  }
  return removed;
}

}  // namespace instagram::oauth
