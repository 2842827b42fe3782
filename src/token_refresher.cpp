#include <instagram/oauth/token_refresher.hpp>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <utility>
#include <vector>

namespace instagram::oauth {

TokenRefresher::TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger,
                               std::shared_ptr<TokenStore> store, RefreshPolicy policy,
                               std::size_t max_in_flight, std::chrono::seconds lease)
    : exchanger_(std::move(exchanger)),
      store_(std::move(store)),
      policy_(policy),
      max_in_flight_(max_in_flight),
      lease_(lease) {}

namespace {

// Saves what a refresh answered for `stored` and counts it in `report`.
void save_answer(TokenStore& store, StoredToken stored, Result<AccessToken> answer,
                 std::chrono::system_clock::time_point now, RefreshReport& report) {
  if (answer && answer->expires_in) {
    AccessToken refreshed = std::move(*answer);
    refreshed.user_id = stored.user_id;
    refreshed.received_at = now;  // dated by the pass's clock, which decides what is due
    refreshed.expires_at = now + *refreshed.expires_in;
    stored.token = std::move(refreshed);
    ++(store.save(stored) ? report.refreshed : report.failed);
  } else if (!answer && needs_reauthorization(answer.error())) {
    stored.reauthorization_needed = answer.error().error_message();
    ++(store.save(stored) ? report.reauthorization_needed : report.failed);
  } else {
    ++report.failed;  // an answer without expires_in, or a passing failure: leased out
  }
}

}  // namespace

Result<RefreshReport> TokenRefresher::run_once(std::chrono::system_clock::time_point now) const {
  return run_once(now, [](const RefreshReport&) {});
}

Result<RefreshReport> TokenRefresher::run_once(
    std::chrono::system_clock::time_point now,
    const std::function<void(const RefreshReport&)>& progress) const {
  if (!exchanger_ || !store_)
    return OAuthException(ErrorCategory::invalid_argument,
                          "TokenRefresher needs an exchanger and a store");
  if (max_in_flight_ == 0 || lease_.count() <= 0) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "TokenRefresher's max_in_flight and lease must be positive");
  }
  // Refreshes are kept near max_in_flight deep: more are leased once a quarter have come
  // back, and answers are saved from this thread (a store may block; the engine thread must
  // not) while the rest are in flight. fleet_bench measured why: a batch at a time (lease,
  // refresh, save) reached 0.75x of the engine's bare rate; leasing at half, 0.81x; at a
  // quarter, 0.89x.
  struct Answered {
    StoredToken stored;
    Result<AccessToken> answer;
  };
  // What the engine thread's callbacks write: owned by them too, so that a pass that ends
  // early (a progress callback or a store that throws) leaves them nothing freed to write to.
  struct Arrivals {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<Answered> answered;
  };
  const auto arrivals = std::make_shared<Arrivals>();
  RefreshReport report;
  std::size_t in_flight = 0;
  bool more_due = true;
  // What a progress callback or the store threw: the pass stops leasing, saves what is in
  // flight, and then throws it.
  std::exception_ptr thrown;
  const auto keep_thrown = [&] {
    if (!thrown) thrown = std::current_exception();
    more_due = false;
  };
  while (more_due || in_flight > 0) {
    // Room for at least one, and no more than three quarters busy (for a max_in_flight of 1
    // to 3, a quarter is none: then it leases when one is free).
    if (more_due && in_flight < max_in_flight_ &&
        in_flight <= max_in_flight_ - max_in_flight_ / 4) {
      Result<std::vector<StoredToken>> leased = std::vector<StoredToken>{};
      try {
        leased = store_->lease_due(now, policy_, max_in_flight_ - in_flight, lease_);
      } catch (...) {
        keep_thrown();
        continue;
      }
      if (!leased) {
        // Nothing under way: the store's error is the pass's. Otherwise the pass stops
        // leasing, saying why, and finishes what it began.
        if (in_flight == 0 &&
            report.refreshed + report.reauthorization_needed + report.failed == 0) {
          return leased.error();
        }
        report.stopped_by = leased.error();
        more_due = false;
      } else {
        more_due = !leased->empty();
        for (StoredToken& stored : *leased) {
          auto leased_token = std::make_shared<StoredToken>(std::move(stored));
          ++in_flight;
          exchanger_->refresh_async(
              leased_token->token.access_token,
              [arrivals, leased_token](Result<AccessToken> answer) {
                std::lock_guard<std::mutex> lock(arrivals->mutex);
                arrivals->answered.push_back(Answered{std::move(*leased_token), std::move(answer)});
                arrivals->arrived.notify_all();
              });
        }
      }
      continue;
    }
    std::vector<Answered> batch;
    {
      std::unique_lock<std::mutex> lock(arrivals->mutex);
      arrivals->arrived.wait(lock, [&] { return !arrivals->answered.empty(); });
      batch.swap(arrivals->answered);
    }
    in_flight -= batch.size();
    for (Answered& one : batch) {
      try {
        save_answer(*store_, std::move(one.stored), std::move(one.answer), now, report);
      } catch (...) {
        keep_thrown();
      }
    }
    try {
      if (progress) progress(report);
    } catch (...) {
      keep_thrown();
    }
  }
  if (thrown) std::rethrow_exception(thrown);
  return report;
}

}  // namespace instagram::oauth
