#include <instagram/oauth/token_store.hpp>

#include <algorithm>
#include <condition_variable>
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

TokenRefresher::TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger,
                               std::shared_ptr<TokenStore> store, RefreshPolicy policy,
                               std::size_t max_in_flight, std::chrono::seconds lease)
    : exchanger_(std::move(exchanger)),
      store_(std::move(store)),
      policy_(policy),
      max_in_flight_(max_in_flight),
      lease_(lease) {}

Result<RefreshReport> TokenRefresher::run_once(std::chrono::system_clock::time_point now) const {
  if (!exchanger_ || !store_) return unusable("TokenRefresher needs an exchanger and a store");
  if (max_in_flight_ == 0 || lease_.count() <= 0) {
    return unusable("TokenRefresher's max_in_flight and lease must be positive");
  }
  RefreshReport report;
  while (true) {
    Result<std::vector<StoredToken>> leased =
        store_->lease_due(now, policy_, max_in_flight_, lease_);
    if (!leased) {
      // Nothing done yet: the store's error is the pass's. Later: the pass stops, saying why.
      if (report.refreshed + report.reauthorization_needed + report.failed == 0) {
        return leased.error();
      }
      report.stopped_by = leased.error();
      break;
    }
    if (leased->empty()) break;
    // The batch's refreshes at once; their answers come back on the engine thread.
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<std::optional<Result<AccessToken>>> answers(leased->size());
    std::size_t answered = 0;
    for (std::size_t i = 0; i < leased->size(); ++i) {
      exchanger_->refresh_async((*leased)[i].token.access_token,
                                [&, i](Result<AccessToken> answer) {
                                  std::lock_guard<std::mutex> lock(mutex);
                                  answers[i] = std::move(answer);
                                  ++answered;
                                  arrived.notify_all();
                                });
    }
    {
      std::unique_lock<std::mutex> lock(mutex);
      arrived.wait(lock, [&] { return answered == answers.size(); });
    }
    // Saved from this thread: a store may block, the engine thread must not.
    for (std::size_t i = 0; i < leased->size(); ++i) {
      StoredToken stored = std::move((*leased)[i]);
      Result<AccessToken>& answer = *answers[i];
      if (answer && answer->expires_in) {
        AccessToken refreshed = std::move(*answer);
        refreshed.user_id = stored.user_id;
        refreshed.received_at = now;  // dated by the pass's clock, which decides what is due
        refreshed.expires_at = now + *refreshed.expires_in;
        stored.token = std::move(refreshed);
        if (store_->save(stored)) {
          ++report.refreshed;
        } else {
          ++report.failed;
        }
      } else if (!answer && needs_reauthorization(answer.error())) {
        stored.reauthorization_needed = answer.error().error_message();
        if (store_->save(stored)) {
          ++report.reauthorization_needed;
        } else {
          ++report.failed;
        }
      } else {
        ++report.failed;  // an answer without expires_in, or a passing failure: leased out
      }
    }
  }
  return report;
}

}  // namespace instagram::oauth
