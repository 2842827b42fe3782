#include <instagram/oauth/token_store.hpp>

#include <algorithm>
#include <utility>

namespace instagram::oauth {
namespace {

OAuthException unusable(std::string message) {
  return OAuthException(ErrorCategory::invalid_argument, std::move(message));
}

}  // namespace

std::string stored_user_id_problem(std::string_view user_id) {
  const bool digits = !user_id.empty() && std::all_of(user_id.begin(), user_id.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
  return digits ? std::string()
                : std::string("the user id must be decimal digits (Instagram's ids)");
}

std::string stored_token_problem(const StoredToken& token) {
  if (std::string problem = stored_user_id_problem(token.user_id); !problem.empty()) return problem;
  if (token.token.access_token.empty()) return "the stored token's access_token is empty";
  return {};
}

Result<void> MemoryTokenStore::save(const StoredToken& token) {
  if (std::string problem = stored_token_problem(token); !problem.empty()) {
    return unusable(std::move(problem));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_[token.user_id] = Entry{token, std::nullopt};
  return {};
}

Result<std::optional<StoredToken>> MemoryTokenStore::load(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = tokens_.find(user_id);
  if (found == tokens_.end()) return std::optional<StoredToken>();
  return std::optional<StoredToken>(found->second.stored);
}

Result<bool> MemoryTokenStore::remove(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = tokens_.find(user_id);
  if (found == tokens_.end()) return false;
  tokens_.erase(found);
  return true;
}

Result<std::vector<StoredToken>> MemoryTokenStore::lease_due(
    std::chrono::system_clock::time_point now, const RefreshPolicy& policy, std::size_t limit,
    std::chrono::seconds lease) {
  if (limit == 0 || lease.count() <= 0) return unusable("limit and lease must be positive");
  std::vector<StoredToken> leased;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [user_id, entry] : tokens_) {
    if (leased.size() == limit) break;
    if (entry.stored.reauthorization_needed) continue;
    if (entry.leased_until && *entry.leased_until > now) continue;
    if (!refresh_due(entry.stored.token, now, policy)) continue;
    entry.leased_until = now + lease;
    leased.push_back(entry.stored);
  }
  return leased;
}

}  // namespace instagram::oauth
