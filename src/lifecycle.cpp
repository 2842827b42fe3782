#include <instagram/oauth/lifecycle.hpp>

#include <algorithm>
#include <utility>

namespace instagram::oauth {

bool refresh_due(const AccessToken& token, std::chrono::system_clock::time_point now,
                 const RefreshPolicy& policy) {
  if (!token.received_at || !token.expires_at) return false;
  if (now - *token.received_at < policy.min_age + policy.clock_margin) return false;
  if (now >= *token.expires_at) return false;  // too late: only a new login helps
  return now >= *token.expires_at - policy.refresh_before;
}

std::chrono::system_clock::time_point next_refresh_attempt(
    const RefreshPolicy& policy, unsigned attempts, std::chrono::system_clock::time_point now,
    std::optional<std::chrono::system_clock::time_point> expires_at) {
  std::chrono::seconds wait = policy.retry_after;
  for (unsigned doubled = 1; doubled < attempts && wait < policy.max_retry_after; ++doubled) {
    wait *= 2;
  }
  std::chrono::system_clock::duration until = std::min(wait, policy.max_retry_after);
  if (expires_at && *expires_at > now) until = std::min(until, (*expires_at - now) / 4);
  return now + until;
}

bool throttled_by_meta(const OAuthException& error) noexcept {
  if (error.category() != ErrorCategory::api) return false;
  switch (error.code()) {
    case 4:
    case 17:
    case 32:
    case 613:
      return true;
    default:
      return false;
  }
}

bool needs_reauthorization(const OAuthException& error) noexcept {
  if (error.category() != ErrorCategory::api) return false;
  if (error.code() == 190) return true;
  switch (error.error_subcode()) {
    case 458:
    case 459:
    case 460:
    case 463:
    case 464:
    case 467:
    case 492:
      return true;
    default:
      return false;
  }
}

TokenKeeper::TokenKeeper(std::shared_ptr<const TokenExchanger> exchanger, AccessToken token,
                         RefreshPolicy policy, std::function<void(const AccessToken&)> on_refreshed,
                         Clock clock)
    : exchanger_(std::move(exchanger)),
      policy_(policy),
      on_refreshed_(std::move(on_refreshed)),
      clock_(clock ? std::move(clock) : Clock(&std::chrono::system_clock::now)),
      token_(std::move(token)) {}

Result<AccessToken> TokenKeeper::get() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (refreshing_) {  // share the refresh under way
    const std::uint64_t waited_for = refreshes_ + 1;
    refreshed_.wait(lock, [&] { return refreshes_ >= waited_for; });
    return *last_result_;
  }
  const std::chrono::system_clock::time_point now = clock_();
  if (token_.expires_at && now >= *token_.expires_at) {
    ErrorDetails details;
    details.category = ErrorCategory::api;
    details.error_type = "OAuthException";
    details.code = 190;
    details.error_subcode = 463;
    details.error_message =
        "the long-lived token expired before it was refreshed; only a new login helps";
    return OAuthException(std::move(details));
  }
  if (dead_) return *dead_;
  if (!exchanger_ || !refresh_due(token_, now, policy_) || now < next_try_) return token_;

  refreshing_ = true;
  const std::string current = token_.access_token;
  lock.unlock();
  Result<AccessToken> refreshed = exchanger_->refresh(current);
  if (refreshed && !refreshed->expires_in) {
    // Accepted, it would never be due again and would be handed out after it died.
    refreshed = OAuthException(ErrorCategory::invalid_response,
                               "the refresh answer has no expires_in; the old token is kept");
  }
  if (refreshed) {  // dated by this keeper's clock, which decides when the next refresh is due
    refreshed->received_at = now;
    if (refreshed->expires_in) refreshed->expires_at = now + *refreshed->expires_in;
  }
  if (refreshed && on_refreshed_) {
    try {
      on_refreshed_(*refreshed);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the token is refreshed all the same
    }
  }
  lock.lock();
  if (refreshed) {
    token_ = *refreshed;
    failures_ = 0;
  } else if (needs_reauthorization(refreshed.error())) {
    dead_ = refreshed.error();
  } else {  // still valid: a later call tries again, after a while
    next_try_ = next_refresh_attempt(policy_, ++failures_, now, token_.expires_at);
    refreshed = token_;
  }
  last_result_ = refreshed;
  refreshing_ = false;
  ++refreshes_;
  refreshed_.notify_all();
  return refreshed;
}

}  // namespace instagram::oauth
