#include <instagram/oauth/token_refresher.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace instagram::oauth {

std::string_view to_string(RefreshEvent::Kind kind) noexcept {
  switch (kind) {
    case RefreshEvent::Kind::refreshed:
      return "refreshed";
    case RefreshEvent::Kind::recovered:
      return "recovered";
    case RefreshEvent::Kind::failed:
      return "failed";
    case RefreshEvent::Kind::reauthorization_needed:
      return "reauthorization_needed";
    case RefreshEvent::Kind::unreadable:
      return "unreadable";
    case RefreshEvent::Kind::superseded:
      return "superseded";
  }
  return "unknown";
}

// fresh()'s refreshes under way in this process: the first caller for a user refreshes, the
// others wait for its answer.
struct TokenRefresher::Flights {
  struct Flight {
    bool done = false;
    std::optional<Result<StoredToken>> result;
  };
  std::mutex mutex;
  std::condition_variable landed;
  std::map<std::string, std::shared_ptr<Flight>, std::less<>> by_user;
};

TokenRefresher::TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger,
                               std::shared_ptr<TokenStore> store, RefresherOptions options)
    : exchanger_(std::move(exchanger)),
      store_(std::move(store)),
      options_(std::move(options)),
      flights_(std::make_shared<Flights>()) {
  // Resolved once: none given means the exchanger's transport's.
  if (!options_.telemetry && exchanger_ && exchanger_->transport()) {
    options_.telemetry = exchanger_->transport()->telemetry();
  }
}

namespace {

using Clock = std::chrono::system_clock;

void count(RefreshReport& report, RefreshEvent::Kind kind) {
  switch (kind) {
    case RefreshEvent::Kind::refreshed:
      ++report.refreshed;
      break;
    case RefreshEvent::Kind::recovered:
      ++report.recovered;
      break;
    case RefreshEvent::Kind::failed:
      ++report.failed;
      break;
    case RefreshEvent::Kind::reauthorization_needed:
      ++report.reauthorization_needed;
      break;
    case RefreshEvent::Kind::unreadable:
      ++report.unreadable;
      break;
    case RefreshEvent::Kind::superseded:
      ++report.superseded;
      break;
  }
}

// What a refresh's answer makes of a leased token, to be written through its lease: the
// refreshed token dated `now` (the store's clock), the token marked dead, or the failure kept
// with the next attempt; and the event that says which, once written.
struct Outcome {
  FinishedLease finished;
  RefreshEvent event;
};

Outcome outcome_of(Lease lease, Result<AccessToken> answer, Clock::time_point now,
                   const RefreshPolicy& policy) {
  StoredToken result = lease.stored;
  RefreshEvent event;
  event.user_id = result.user_id;
  if (answer && !answer->expires_in) {
    // Accepted, it would never be due again and would be used after it died.
    answer = OAuthException(ErrorCategory::invalid_response,
                            "the refresh answer has no expires_in; the old token is kept");
  }
  if (answer) {
    AccessToken refreshed = std::move(*answer);
    refreshed.user_id = result.user_id;
    refreshed.received_at = now;
    refreshed.expires_at = now + *refreshed.expires_in;
    if (refreshed.permissions.empty()) refreshed.permissions = result.token.permissions;
    event.kind = result.failure ? RefreshEvent::Kind::recovered : RefreshEvent::Kind::refreshed;
    event.expires_at = refreshed.expires_at;
    result.token = std::move(refreshed);
    result.failure.reset();
  } else if (throttled_by_meta(answer.error())) {
    // Meta's rate limit says nothing of the token: it is written back as it was (ending the
    // lease, so that the pass asks again once Meta allows), without a failure of its own.
    event.kind = RefreshEvent::Kind::failed;
    event.error = answer.error();
    event.attempts = result.failure ? result.failure->attempts : 0;
  } else if (needs_reauthorization(answer.error())) {
    event.kind = RefreshEvent::Kind::reauthorization_needed;
    event.error = answer.error();
    result.reauthorization_needed = answer.error().error_message();
    result.failure.reset();
  } else {
    RefreshFailure failure;
    failure.attempts = (result.failure ? result.failure->attempts : 0) + 1;
    failure.category = answer.error().category();
    failure.message = answer.error().error_message();
    failure.next_attempt =
        next_refresh_attempt(policy, failure.attempts, now, result.token.expires_at);
    event.kind = RefreshEvent::Kind::failed;
    event.error = answer.error();
    event.attempts = failure.attempts;
    event.next_attempt = failure.next_attempt;
    result.failure = std::move(failure);
  }
  return {FinishedLease{std::move(lease), std::move(result)}, std::move(event)};
}

// The event once the store answered the write: the outcome's own, `superseded` when the lease
// no longer held, or `failed` with the store's error when the write was lost (the lease runs
// out and a later pass asks again).
RefreshEvent event_written(RefreshEvent event, const Lease& lease, const Result<bool>& written) {
  if (!written) {
    RefreshEvent lost;
    lost.kind = RefreshEvent::Kind::failed;
    lost.user_id = lease.stored.user_id;
    lost.error = written.error();
    lost.attempts = lease.stored.failure ? lease.stored.failure->attempts : 0;
    return lost;
  }
  if (!*written) {
    RefreshEvent superseded;
    superseded.kind = RefreshEvent::Kind::superseded;
    superseded.user_id = lease.stored.user_id;
    return superseded;
  }
  return event;
}

RefreshEvent unreadable_event(UnreadableToken unreadable) {
  RefreshEvent event;
  event.kind = RefreshEvent::Kind::unreadable;
  event.user_id = std::move(unreadable.user_id);
  event.error = std::move(unreadable.error);
  return event;
}

OAuthException none_stored(std::string_view user_id) {
  return OAuthException(ErrorCategory::invalid_argument,
                        "no token is stored for user " + std::string(user_id));
}

OAuthException needs_new_login(std::string message) {
  ErrorDetails details;
  details.category = ErrorCategory::api;
  details.error_type = "OAuthException";
  details.code = 190;
  details.error_message = std::move(message);
  return OAuthException(std::move(details));
}

// How many a pass may have out at once. A request the transport holds back (every connection
// busy) waits in its queue, and the wait counts against its total_timeout: 200 at once over 64
// HTTP/1.1 connections, Instagram answering in 2 s, failed 57 of every 100 at a 5 s limit. So
// the pass learns what the transport sends at once: `window` is the most it has had out with
// nothing held back, and it leases up to half as many again (from 4), never while the
// transport holds requests back. A request then waits at most about one answer's time.
class InFlightLimit {
 public:
  explicit InFlightLimit(std::size_t max_in_flight) : max_(max_in_flight) {}

  // How many more to lease with `in_flight` out, keeping at most `cap` out.
  std::size_t room(const TokenExchanger& exchanger, std::size_t in_flight, std::size_t cap) {
    std::size_t held_back = 0;
    if (const auto& transport = exchanger.transport()) {
      if (const std::optional<TransportStats> stats = transport->stats())
        held_back = stats->waiting;
    }
    if (held_back > 0 && in_flight > 0) return 0;
    window_ = std::max(window_, in_flight);
    const std::size_t target =
        std::min({max_, cap, std::max<std::size_t>(4, window_ + (window_ + 1) / 2)});
    const std::size_t room = target > in_flight ? target - in_flight : 0;
    // A lease for every answer or two costs the store more than it gains: leased again once an
    // eighth have come back.
    return in_flight == 0 || room >= std::max<std::size_t>(1, target / 8) ? room : 0;
  }

 private:
  std::size_t max_;
  std::size_t window_ = 0;
};

// Meta's usage, as the newest answer said it: when a throttled app may call again (none: not
// throttled now), and how many a pass may keep out.
std::optional<Clock::time_point> throttled_until(const std::optional<MetaUsage>& usage,
                                                 Clock::time_point now) {
  if (!usage || !usage->regain_access || usage->regain_access->count() <= 0) return std::nullopt;
  const Clock::time_point until = usage->received_at + *usage->regain_access;
  if (until <= now) return std::nullopt;
  return until;
}

std::size_t usage_cap(const std::optional<MetaUsage>& usage, const RefresherOptions& options,
                      Clock::time_point now) {
  // Figures from long ago (an earlier pass) say nothing of now; the first answers will.
  if (!usage || now - usage->received_at > std::chrono::minutes(10)) return options.max_in_flight;
  const std::optional<int> highest = usage->highest();
  const int above = std::clamp(options.slow_down_above, 0, 99);
  if (!highest || *highest <= above) return options.max_in_flight;
  const int left = std::max(0, 100 - *highest);
  return std::max<std::size_t>(1, options.max_in_flight * static_cast<std::size_t>(left) /
                                      static_cast<std::size_t>(100 - above));
}

}  // namespace

Result<RefreshReport> TokenRefresher::run_once() const {
  return run_once([](const RefreshReport&) {});
}

Result<RefreshReport> TokenRefresher::run_once(
    const std::function<void(const RefreshReport&)>& progress) const {
  if (!exchanger_ || !store_) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "TokenRefresher needs an exchanger and a store");
  }
  if (options_.max_in_flight == 0 || options_.lease.count() <= 0) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "TokenRefresher's max_in_flight and lease must be positive");
  }
  // Answers are finished from this thread (a store may block; the engine thread must not)
  // while the rest are in flight, and more are leased as room frees up: fleet_bench measured
  // a batch at a time (lease, refresh, save) at 0.75x of the engine's bare rate.
  struct Answered {
    Lease lease;
    Result<AccessToken> answer;
    std::chrono::steady_clock::time_point at;
  };
  // What the engine thread's callbacks write: owned by them too, so that a pass that ends
  // early (a callback or a store that throws) leaves them nothing freed to write to.
  struct Arrivals {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<Answered> answered;
  };
  const auto arrivals = std::make_shared<Arrivals>();
  RefreshReport report;
  std::size_t in_flight = 0;
  bool more_due = true;
  bool began = false;
  // The store's clock, read at the first lease and every minute after, carried forward by this
  // process's steady clock in between: answers are dated by it without a query each.
  Clock::time_point store_time;
  std::optional<std::chrono::steady_clock::time_point> store_time_read;
  std::optional<Clock::time_point> pass_began;  // the store's time at the first lease
  // What a callback or the store threw: the pass stops leasing, finishes what is in flight,
  // and then throws it.
  std::exception_ptr thrown;
  const auto keep_thrown = [&] {
    if (!thrown) thrown = std::current_exception();
    more_due = false;
  };
  const auto tell = [&](const RefreshEvent& event) {
    count(report, event.kind);
    if (options_.on_event) options_.on_event(event);
    if (options_.telemetry) options_.telemetry->refresh_event(event);
  };
  InFlightLimit limit(options_.max_in_flight);
  while (more_due || in_flight > 0) {
    std::size_t room = 0;
    if (more_due) {
      const std::optional<MetaUsage> usage = exchanger_->meta_usage();
      const Clock::time_point now = Clock::now();
      if (const std::optional<Clock::time_point> until = throttled_until(usage, now)) {
        // Throttled: nothing more goes out. With nothing out, wait for the time Meta gave, or
        // stop when it is too long; what is not leased stays due for a later pass.
        if (in_flight == 0) {
          if (*until - now > options_.max_throttle_wait) {
            report.stopped_by = OAuthException(
                ErrorCategory::api,
                "Meta throttles the app for about " +
                    std::to_string(usage->regain_access->count()) +
                    " minutes (estimated_time_to_regain_access); the rest is left for a later "
                    "pass");
            more_due = false;
          } else {
            std::this_thread::sleep_until(*until);
          }
          continue;
        }
      } else {
        room = limit.room(*exchanger_, in_flight, usage_cap(usage, options_, now));
      }
    }
    if (room > 0) {
      Result<LeaseBatch> leased = LeaseBatch{};
      try {
        if (!store_time_read ||
            std::chrono::steady_clock::now() - *store_time_read > std::chrono::minutes(1)) {
          store_time = store_->now();
          // Read after the store answered, so that a slow now() (a query) dates answers a
          // little early, never later than the store's clock: a token dated in its future
          // would be due late.
          store_time_read = std::chrono::steady_clock::now();
          if (!pass_began) pass_began = store_time;
        }
        leased = store_->lease_due(options_.policy, room, options_.lease);
      } catch (...) {
        keep_thrown();
        continue;
      }
      if (!leased) {
        // Nothing under way: the store's error is the pass's. Otherwise the pass stops
        // leasing, saying why, and finishes what it began.
        if (!began) return leased.error();
        report.stopped_by = leased.error();
        more_due = false;
        continue;
      }
      began = true;
      more_due = !leased->leased.empty() || !leased->unreadable.empty();
      for (UnreadableToken& unreadable : leased->unreadable) {
        try {
          tell(unreadable_event(std::move(unreadable)));
        } catch (...) {
          keep_thrown();
        }
      }
      for (Lease& lease : leased->leased) {
        // Received since this pass began (refreshed by it, or saved anew): a policy that makes
        // such a token due at once (a trial's minimum age of 0) must not refresh it again in
        // the same pass. Left leased, unsent, so that this pass is not offered it again.
        const std::optional<Clock::time_point>& received = lease.stored.token.received_at;
        if (received && *received >= *pass_began) continue;
        auto held = std::make_shared<Lease>(std::move(lease));
        ++in_flight;
        exchanger_->refresh_async(
            held->stored.token.access_token, [arrivals, held](Result<AccessToken> answer) {
              std::lock_guard<std::mutex> lock(arrivals->mutex);
              arrivals->answered.push_back(
                  Answered{std::move(*held), std::move(answer), std::chrono::steady_clock::now()});
              arrivals->arrived.notify_all();
            });
      }
      continue;
    }
    std::vector<Answered> batch;
    {
      std::unique_lock<std::mutex> lock(arrivals->mutex);
      const auto answered = [&] { return !arrivals->answered.empty(); };
      if (more_due) {
        // Held back (the transport's queue, or the window): look again soon, or at an answer.
        arrivals->arrived.wait_for(lock, std::chrono::milliseconds(20), answered);
      } else {
        arrivals->arrived.wait(lock, answered);
      }
      batch.swap(arrivals->answered);
    }
    if (batch.empty()) continue;
    in_flight -= batch.size();
    // The answers that came together are written together (one statement for PostgreSQL).
    std::vector<FinishedLease> finished;
    std::vector<RefreshEvent> events;
    finished.reserve(batch.size());
    events.reserve(batch.size());
    for (Answered& one : batch) {
      const Clock::time_point now =
          store_time + std::chrono::duration_cast<Clock::duration>(one.at - *store_time_read);
      Outcome outcome =
          outcome_of(std::move(one.lease), std::move(one.answer), now, options_.policy);
      finished.push_back(std::move(outcome.finished));
      events.push_back(std::move(outcome.event));
    }
    Result<std::vector<bool>> written = std::vector<bool>{};
    try {
      written = store_->finish_leases(finished);
      if (written && written->size() != finished.size()) {
        written = OAuthException(ErrorCategory::system,
                                 "the store's finish_leases answered for a different count");
      }
    } catch (...) {
      keep_thrown();
      written = OAuthException(ErrorCategory::system, "the store's finish_leases threw");
    }
    for (std::size_t index = 0; index < finished.size(); ++index) {
      const Result<bool> one = written ? Result<bool>((*written)[index]) : written.error();
      try {
        tell(event_written(std::move(events[index]), finished[index].lease, one));
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

Result<StoredToken> TokenRefresher::fresh(std::string_view user_id) const {
  if (!exchanger_ || !store_) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "TokenRefresher needs an exchanger and a store");
  }
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
  }
  std::shared_ptr<Flights::Flight> flight;
  bool leader = false;
  {
    std::unique_lock<std::mutex> lock(flights_->mutex);
    auto& slot = flights_->by_user[std::string(user_id)];
    if (!slot) {
      slot = std::make_shared<Flights::Flight>();
      leader = true;
    }
    flight = slot;
    if (!leader) {
      flights_->landed.wait(lock, [&] { return flight->done; });
      return *flight->result;
    }
  }
  // The leader: whatever happens, the others are answered and the slot freed.
  Result<StoredToken> result = OAuthException(ErrorCategory::system, "fresh() did not finish");
  try {
    result = [&]() -> Result<StoredToken> {
      const Result<std::optional<StoredToken>> loaded = store_->load(user_id);
      if (!loaded) return loaded.error();
      if (!*loaded) return none_stored(user_id);
      const StoredToken& stored = **loaded;
      if (stored.reauthorization_needed) {
        return needs_new_login("the stored token needs a new login: " +
                               *stored.reauthorization_needed);
      }
      const Clock::time_point now = store_->now();
      if (stored.token.expires_at && now >= *stored.token.expires_at) {
        return needs_new_login(
            "the long-lived token expired before it was refreshed; only a new login helps");
      }
      if (!refresh_due(stored.token, now, options_.policy)) return stored;
      Result<std::optional<Lease>> lease = store_->lease_user(user_id, options_.lease);
      if (!lease) return lease.error();
      if (!*lease) return stored;  // another instance refreshes it; it is still valid
      Outcome outcome =
          outcome_of(std::move(**lease), exchanger_->refresh(stored.token.access_token),
                     store_->now(), options_.policy);
      const Result<bool> written =
          store_->finish_lease(outcome.finished.lease, outcome.finished.result);
      const RefreshEvent event =
          event_written(std::move(outcome.event), outcome.finished.lease, written);
      if (options_.on_event) options_.on_event(event);
      if (options_.telemetry) options_.telemetry->refresh_event(event);
      switch (event.kind) {
        case RefreshEvent::Kind::refreshed:
        case RefreshEvent::Kind::recovered:
          return std::move(outcome.finished.result);
        case RefreshEvent::Kind::reauthorization_needed:
          return *event.error;
        default: {  // a passing failure (the token is still valid), or replaced meanwhile
          Result<std::optional<StoredToken>> now_stored = store_->load(user_id);
          if (!now_stored) return now_stored.error();
          if (!*now_stored) return none_stored(user_id);
          return std::move(**now_stored);
        }
      }
    }();
  } catch (...) {
    std::lock_guard<std::mutex> lock(flights_->mutex);
    flight->result = OAuthException(ErrorCategory::system, "fresh() was interrupted by a throw");
    flight->done = true;
    flights_->by_user.erase(flights_->by_user.find(user_id));
    flights_->landed.notify_all();
    throw;
  }
  std::lock_guard<std::mutex> lock(flights_->mutex);
  flight->result = result;
  flight->done = true;
  flights_->by_user.erase(flights_->by_user.find(user_id));
  flights_->landed.notify_all();
  return result;
}

}  // namespace instagram::oauth

namespace instagram::oauth {

struct RefreshSchedule::State {
  std::mutex mutex;
  std::condition_variable woken;
  bool stopping = false;
};

RefreshSchedule& RefreshSchedule::operator=(RefreshSchedule&& other) noexcept {
  if (this != &other) {
    stop();
    state_ = std::move(other.state_);
    thread_ = std::move(other.thread_);
  }
  return *this;
}

RefreshSchedule::~RefreshSchedule() {
  stop();
}

void RefreshSchedule::stop() noexcept {
  if (state_) {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->stopping = true;
    }
    state_->woken.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

RefreshSchedule TokenRefresher::run_every(
    std::chrono::seconds interval,
    std::function<void(const Result<RefreshReport>&)> on_pass) const {
  RefreshSchedule schedule;
  if (interval.count() <= 0) {
    if (on_pass) {
      on_pass(
          OAuthException(ErrorCategory::invalid_argument, "run_every's interval must be positive"));
    }
    return schedule;
  }
  schedule.state_ = std::make_shared<RefreshSchedule::State>();
  schedule.thread_ = std::thread([refresher = *this, state = schedule.state_, interval,
                                  on_pass = std::move(on_pass)] {
    std::mt19937_64 random(std::random_device{}());
    const auto tenth = std::chrono::duration_cast<std::chrono::milliseconds>(interval) / 10;
    const auto jitter = [&](std::chrono::milliseconds base, std::chrono::milliseconds spread) {
      std::uniform_int_distribution<long long> pick(-spread.count(), spread.count());
      return base + std::chrono::milliseconds(pick(random));
    };
    // The first pass within a tenth of the interval; each next one interval later, give or
    // take a tenth.
    auto wait = jitter(tenth / 2, tenth / 2);
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(state->mutex);
        if (state->woken.wait_for(lock, wait, [&] { return state->stopping; })) return;
      }
      Result<RefreshReport> pass = OAuthException(ErrorCategory::system, "the pass did not end");
      try {
        pass = refresher.run_once();
      } catch (const std::exception& thrown) {
        pass =
            OAuthException(ErrorCategory::system, std::string("the pass threw: ") + thrown.what());
      } catch (...) {
        pass = OAuthException(ErrorCategory::system, "the pass threw");
      }
      if (on_pass) {
        try {
          on_pass(pass);
        } catch (...) {  // NOLINT(bugprone-empty-catch): the schedule goes on
        }
      }
      wait = jitter(std::chrono::duration_cast<std::chrono::milliseconds>(interval), tenth);
    }
  });
  return schedule;
}

}  // namespace instagram::oauth
