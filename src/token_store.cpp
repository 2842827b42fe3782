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

MemoryTokenStore::MemoryTokenStore(Clock clock) : clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

std::chrono::system_clock::time_point MemoryTokenStore::now() {
  return clock_();
}

Result<void> MemoryTokenStore::save(const StoredToken& token) {
  if (std::string problem = stored_token_problem(token); !problem.empty()) {
    return unusable(std::move(problem));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_[token.user_id] = Entry{token, ++last_fence_, std::nullopt};
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

Result<LeaseBatch> MemoryTokenStore::lease_due(const RefreshPolicy& policy, std::size_t limit,
                                               std::chrono::seconds lease) {
  if (limit == 0 || lease.count() <= 0) return unusable("limit and lease must be positive");
  const auto now = clock_();
  LeaseBatch batch;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [user_id, entry] : tokens_) {
    if (batch.leased.size() == limit) break;
    const StoredToken& stored = entry.stored;
    if (stored.reauthorization_needed) continue;
    if (entry.leased_until && *entry.leased_until > now) continue;
    if (stored.failure && stored.failure->next_attempt > now) continue;
    if (!refresh_due(stored.token, now, policy)) continue;
    entry.leased_until = now + lease;
    entry.fence = ++last_fence_;
    batch.leased.push_back(Lease{stored, entry.fence});
  }
  return batch;
}

Result<std::optional<Lease>> MemoryTokenStore::lease_user(std::string_view user_id,
                                                          std::chrono::seconds lease) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  if (lease.count() <= 0) return unusable("limit and lease must be positive");
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = tokens_.find(user_id);
  if (found == tokens_.end()) return std::optional<Lease>();
  Entry& entry = found->second;
  if (entry.stored.reauthorization_needed || (entry.leased_until && *entry.leased_until > now)) {
    return std::optional<Lease>();
  }
  entry.leased_until = now + lease;
  entry.fence = ++last_fence_;
  return std::optional<Lease>(Lease{entry.stored, entry.fence});
}

Result<std::vector<bool>> TokenStore::finish_leases(const std::vector<FinishedLease>& finished) {
  std::vector<bool> written;
  written.reserve(finished.size());
  for (const FinishedLease& one : finished) {
    Result<bool> wrote = finish_lease(one.lease, one.result);
    if (!wrote) return wrote.error();
    written.push_back(*wrote);
  }
  return written;
}

Result<bool> MemoryTokenStore::finish_lease(const Lease& lease, const StoredToken& result) {
  if (std::string problem = stored_token_problem(result); !problem.empty()) {
    return unusable(std::move(problem));
  }
  if (result.user_id != lease.stored.user_id) {
    return unusable("a lease's result must be the same user's token");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = tokens_.find(result.user_id);
  if (found == tokens_.end() || found->second.fence != lease.fence) return false;
  found->second = Entry{result, ++last_fence_, std::nullopt};
  return true;
}

}  // namespace instagram::oauth
