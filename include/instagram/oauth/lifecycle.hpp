/// @file
/// One user's long-lived token refreshed once however many threads ask for it (when to
/// refresh and when only a new login helps: refresh_policy.hpp).
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace instagram::oauth {

/// One user's long-lived token. Thread-safe: concurrent get() calls share one refresh (the
/// others wait for its result), on_refreshed runs once per refresh (persist the new token
/// there), a token younger than min_age is never refreshed, and an expired one is reported
/// without a request as an api error with code 190 and subcode 463 (needs_reauthorization).
/// When a refresh fails and the token still works, get() returns the token, and the next
/// try waits RefreshPolicy::retry_after, doubling up to max_retry_after (an outage does not
/// turn every get() into a request). A refresh answer without expires_in is such a failure
/// (invalid_response): its token would never be refreshed again. When the failure
/// needs_reauthorization, get() returns that error from then on, without another request.
///
/// @code
/// TokenKeeper keeper(TokenExchanger::create_shared(app).value(), long_lived, {},
///                    [&](const AccessToken& fresh) { save(fresh); });
/// Result<AccessToken> token = keeper.get();  // from any thread; one refresh when due
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenKeeper {
 public:
  /// The time source: system_clock::now unless a test gives its own.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Keeps `token` alive with `exchanger`; `on_refreshed` is called with each new token
  /// (persist it there), on the thread whose get() refreshed.
  TokenKeeper(std::shared_ptr<const TokenExchanger> exchanger, AccessToken token,
              RefreshPolicy policy = {}, std::function<void(const AccessToken&)> on_refreshed = {},
              Clock clock = {});  // empty: system_clock::now (tests inject their own)

  /// The token, refreshed first when due.
  Result<AccessToken> get();

 private:
  std::shared_ptr<const TokenExchanger> exchanger_;
  RefreshPolicy policy_;
  std::function<void(const AccessToken&)> on_refreshed_;
  Clock clock_;
  std::mutex mutex_;
  std::condition_variable refreshed_;
  AccessToken token_;
  bool refreshing_ = false;
  std::uint64_t refreshes_ = 0;                     ///< finished refreshes, successful or not
  std::optional<Result<AccessToken>> last_result_;  ///< what the last refresh gave its waiters
  std::optional<OAuthException> dead_;              ///< once a refresh needs_reauthorization
  unsigned failures_ = 0;                           ///< consecutive failed refreshes
  std::chrono::system_clock::time_point next_try_;  ///< no refresh before this
};

}  // namespace instagram::oauth
