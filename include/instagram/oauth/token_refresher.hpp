/// @file
/// One refresh pass over a TokenStore: every due token refreshed exactly once, however many
/// instances run a pass at the same time.
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_store.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

namespace instagram::oauth {

/// What one TokenRefresher pass did.
struct RefreshReport {
  std::size_t refreshed = 0;               ///< refreshed and saved
  std::size_t reauthorization_needed = 0;  ///< dead: saved so, never asked about again
  std::size_t failed = 0;                  ///< not refreshed this time; a later pass retries
  /// The store's error when it could not lease any more after the pass had begun: the pass
  /// stopped there, and what was left is for a later pass.
  std::optional<OAuthException> stopped_by;
};

/// Refreshes every due token of a store, exactly once each however many instances run a
/// pass at the same time (the store's leases decide who refreshes which).
///
/// @code
/// TokenRefresher refresher(TokenExchanger::create_shared(app).value(), store);
/// RefreshReport pass = refresher.run_once(std::chrono::system_clock::now()).value();
/// if (pass.failed > 0) alert(pass.failed);  // a later pass retries them
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenRefresher {
 public:
  /// `lease`: how long a token is this pass's while it is refreshed; a pass that dies leaves
  /// its tokens to the next pass after it. Longer than ClientOptions::total_timeout.
  TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger, std::shared_ptr<TokenStore> store,
                 RefreshPolicy policy = {}, std::size_t max_in_flight = 200,
                 std::chrono::seconds lease = std::chrono::minutes(5));

  /// One pass: leases what is due, refreshes it asynchronously (at most max_in_flight at
  /// once), saves each result (a dead token with reauthorization_needed; a refreshed one
  /// dated `now`), until nothing due is left. A transient failure is not saved: its lease
  /// runs out and a later pass tries again. Errors: invalid_argument (no exchanger or store,
  /// a max_in_flight of 0), and the store's errors when it cannot lease at all; a token whose
  /// save fails counts as failed, and a lease that fails later ends the pass (stopped_by).
  /// What a store or `progress` throws stops the leasing; the refreshes in flight are saved,
  /// and then it is thrown. Thread-safe; one pass at a time per refresher is enough.
  Result<RefreshReport> run_once(std::chrono::system_clock::time_point now) const;
  /// As run_once(now), telling `progress` the counts so far after each group of answers is
  /// saved (on this thread; the last call has the pass's counts), for a progress line.
  Result<RefreshReport> run_once(std::chrono::system_clock::time_point now,
                                 const std::function<void(const RefreshReport&)>& progress) const;

 private:
  std::shared_ptr<const TokenExchanger> exchanger_;
  std::shared_ptr<TokenStore> store_;
  RefreshPolicy policy_;
  std::size_t max_in_flight_;
  std::chrono::seconds lease_;
};

}  // namespace instagram::oauth
