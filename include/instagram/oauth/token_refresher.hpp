/// @file
/// Refreshing the tokens of a TokenStore: passes in which every due token is refreshed exactly
/// once however many instances run one at the same time, and a fresh token on demand.
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/telemetry.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_store.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace instagram::oauth {

/// What became of one user's token, for an app to act on (ask the user to sign in again,
/// alert on failures).
struct RefreshEvent {
  /// What happened to the token.
  enum class Kind {
    refreshed,               ///< refreshed and saved
    recovered,               ///< refreshed and saved after earlier failures
    failed,                  ///< a passing failure, kept with the token; retried at next_attempt
    reauthorization_needed,  ///< dead (graph's 190): only a new login helps; never asked again
    unreadable,              ///< its row no key opens, or altered: left until someone acts
    superseded               ///< saved, removed or leased again meanwhile: nothing written
  };
  Kind kind = Kind::refreshed;          ///< what happened
  std::string user_id;                  ///< whose token, digits (never the token itself)
  std::optional<OAuthException> error;  ///< failed, reauthorization_needed, unreadable
  unsigned attempts = 0;                ///< failed: consecutive failures so far
  std::optional<std::chrono::system_clock::time_point> expires_at;    ///< refreshed, recovered
  std::optional<std::chrono::system_clock::time_point> next_attempt;  ///< failed
};

/// "refreshed", "recovered", …: the enumerator's name. Never fails; thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string_view to_string(RefreshEvent::Kind kind) noexcept;

/// What one TokenRefresher pass did: the events of each kind, counted.
struct RefreshReport {
  std::size_t refreshed = 0;               ///< RefreshEvent::Kind::refreshed
  std::size_t recovered = 0;               ///< refreshed after earlier failures
  std::size_t failed = 0;                  ///< kept with back-off, retried later
  std::size_t reauthorization_needed = 0;  ///< dead: only a new login helps
  std::size_t unreadable = 0;              ///< rows no key opens, set aside
  std::size_t superseded = 0;              ///< saved, removed or leased again meanwhile
  /// The store's error when it could not lease any more after the pass had begun: the pass
  /// stopped there, and what was left is for a later pass.
  std::optional<OAuthException> stopped_by;
};

/// How a TokenRefresher works.
struct RefresherOptions {
  RefreshPolicy policy{};  ///< what is due, and the back-off after a failure
  /// Refreshes out at once, at most; fewer while the transport holds requests back.
  std::size_t max_in_flight = 200;
  /// How long a token is this refresher's while it is refreshed: a refresher that dies leaves
  /// its tokens to a pass after it. Longer than ClientOptions::total_timeout.
  std::chrono::seconds lease{300};
  /// Each token's outcome, on the thread of the pass (run_once's caller, or fresh's) once it
  /// is written; it must not block for long. What it throws stops the pass as `progress` does.
  std::function<void(const RefreshEvent&)> on_event;
  /// Each outcome also goes to its refresh_event, after on_event; none: the exchanger's
  /// transport's (ClientOptions::telemetry), when it has one.
  std::shared_ptr<Telemetry> telemetry;
  /// Meta's usage (TokenExchanger::meta_usage()): above this percent, by any figure, a pass
  /// keeps fewer out, in proportion, down to one at 100 %.
  int slow_down_above = 75;
  /// Throttled by Meta (an answer's estimated_time_to_regain_access), a pass sends nothing
  /// until then when that is at most this long away; longer, it stops (stopped_by says so) and
  /// leaves the rest due for a later pass. Nothing leased is lost either way.
  std::chrono::seconds max_throttle_wait{300};
};

/// Passes on a schedule, from TokenRefresher::run_every(): they run until stop() or the
/// schedule's destruction. Movable, not copyable; stop() and the destructor are called from
/// one thread at a time (the owner's).
class INSTAGRAM_OAUTH_EXPORT RefreshSchedule {
 public:
  RefreshSchedule() = default;                                  ///< none: stop() does nothing
  RefreshSchedule(RefreshSchedule&& other) noexcept = default;  ///< takes over its passes
  /// Stops this schedule's passes, then takes over the other's.
  RefreshSchedule& operator=(RefreshSchedule&& other) noexcept;
  RefreshSchedule(const RefreshSchedule&) = delete;
  RefreshSchedule& operator=(const RefreshSchedule&) = delete;
  ~RefreshSchedule();
  /// No pass starts after it; a pass in progress finishes first (its report still goes to
  /// on_pass). Never fails.
  void stop() noexcept;

 private:
  friend class TokenRefresher;
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

/// Refreshes the due tokens of a store, exactly once each however many instances run a pass at
/// the same time: the store's fenced leases decide who refreshes which, and a result is written
/// only while its lease still holds, so a token saved or removed meanwhile (a new login, Meta's
/// data deletion) is never overwritten.
///
/// @code
/// RefresherOptions options;
/// options.on_event = [](const RefreshEvent& event) {
///   if (event.kind == RefreshEvent::Kind::reauthorization_needed) ask_to_sign_in(event.user_id);
/// };
/// TokenRefresher refresher(TokenExchanger::create_shared(app).value(), store, options);
/// RefreshReport pass = refresher.run_once().value();
/// StoredToken token = refresher.fresh(user_id).value();  // when the user is back
/// RefreshSchedule every_ten_minutes = refresher.run_every(std::chrono::minutes(10), log_pass);
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenRefresher {
 public:
  /// Nothing is checked until a pass: a missing exchanger or store, or no room, is its error.
  TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger, std::shared_ptr<TokenStore> store,
                 RefresherOptions options = {});

  /// One pass by the store's clock: leases what is due, refreshes it asynchronously, and
  /// finishes each lease with its outcome (refreshed; dead; or a passing failure kept with
  /// back-off), until nothing due is left. Rows the store cannot read are reported and
  /// skipped. Errors: invalid_argument (no exchanger or store, a max_in_flight or lease of 0),
  /// and the store's errors when it cannot lease at all; a lease that fails later ends the
  /// pass (stopped_by), and a token whose write fails counts as failed. What the store,
  /// on_event or `progress` throws stops the leasing; the refreshes in flight are finished,
  /// and then it is thrown. Thread-safe.
  Result<RefreshReport> run_once() const;
  /// As run_once(), telling `progress` the counts so far after each group of answers is
  /// written (on this thread; the last call has the pass's counts), for a progress line.
  Result<RefreshReport> run_once(const std::function<void(const RefreshReport&)>& progress) const;

  /// The user's stored token, refreshed first when it is due: one refresh at a time per user
  /// in this process (callers at once share it), leased and fenced across instances (while
  /// another holds the lease, the stored token is still valid and is returned). A passing
  /// failure returns the stored token, which is still valid, and keeps the failure. Errors:
  /// invalid_argument (a user id that is not digits, no token stored), api with code 190 (the
  /// token needs a new login, or expired), the store's errors. Thread-safe.
  Result<StoredToken> fresh(std::string_view user_id) const;

  /// Passes every `interval`, on a thread of its own, each report to `on_pass` (on that thread):
  /// the first within a tenth of `interval`, each next `interval` later give or take a tenth at
  /// random, so that a fleet's instances do not start together. What a pass throws reaches
  /// on_pass as a `system` error; what on_pass throws is dropped. An interval of 0 or less calls
  /// on_pass once with invalid_argument and runs nothing. The schedule keeps a copy of this
  /// refresher (its exchanger and store shared). Thread-safe.
  RefreshSchedule run_every(std::chrono::seconds interval,
                            std::function<void(const Result<RefreshReport>&)> on_pass) const;

 private:
  struct Flights;  // fresh()'s refreshes under way, by user
  std::shared_ptr<const TokenExchanger> exchanger_;
  std::shared_ptr<TokenStore> store_;
  RefresherOptions options_;
  std::shared_ptr<Flights> flights_;
};

}  // namespace instagram::oauth
