/// @file
/// When a long-lived token is due for a refresh, and when only a new login helps: what a
/// TokenStore, a TokenKeeper and a TokenRefresher all decide by. Sends nothing.
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/token.hpp>

#include <chrono>
#include <optional>

namespace instagram::oauth {

/// Instagram refreshes a long-lived token once it is 24 hours old and before it expires
/// (60 days); refreshed, it lives 60 days from then.
struct RefreshPolicy {
  std::chrono::hours min_age{24};              ///< younger tokens are never refreshed
  std::chrono::hours refresh_before{7 * 24};   ///< refresh within this much of expires_at
  std::chrono::seconds retry_after{60};        ///< after a failed refresh, the next try waits this,
  std::chrono::seconds max_retry_after{3600};  ///< doubling with each failure up to this
  /// Added to min_age: Instagram's clock and the store's may differ by this much, and a
  /// refresh it thinks too early fails.
  std::chrono::seconds clock_margin{600};
};

/// True when `token` is at least min_age + clock_margin old, expires within refresh_before, and has
/// not expired. False for a token without received_at or expires_at (not a long-lived one).
/// Thread-safe (a pure function).
INSTAGRAM_OAUTH_EXPORT bool refresh_due(const AccessToken& token,
                                        std::chrono::system_clock::time_point now,
                                        const RefreshPolicy& policy = {});

/// When to try again after the `attempts`-th consecutive failed refresh at `now`: retry_after,
/// doubling with each failure up to max_retry_after, and never later than a quarter of the time
/// left before `expires_at`, so that back-off never lets a token die. Thread-safe (pure).
INSTAGRAM_OAUTH_EXPORT std::chrono::system_clock::time_point next_refresh_attempt(
    const RefreshPolicy& policy, unsigned attempts, std::chrono::system_clock::time_point now,
    std::optional<std::chrono::system_clock::time_point> expires_at);

/// True when `error` means the token is dead and only a new login helps: graph's code 190
/// (expired, revoked, password changed: subcodes 458, 459, 460, 463, 464, 467, 492).
INSTAGRAM_OAUTH_EXPORT bool needs_reauthorization(const OAuthException& error) noexcept;

/// True when Meta refused for its rate limit, not for the token: graph's codes 4 (the app),
/// 17 (the user), 32 (the page) and 613 (a call rate). The token is as good as before; what
/// error.meta_usage() says tells when to call again.
INSTAGRAM_OAUTH_EXPORT bool throttled_by_meta(const OAuthException& error) noexcept;

}  // namespace instagram::oauth
