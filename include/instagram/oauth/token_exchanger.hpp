/// @file
/// Step 2 and beyond: the code for a token, a short-lived token for a long-lived one,
/// and a long-lived token refreshed; each blocking, with a callback, or with a future.
#pragma once

#include <instagram/oauth/authorization_code.hpp>
#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/config.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/meta_usage.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/telemetry.hpp>
#include <instagram/oauth/token.hpp>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth {

namespace detail {
class MetaUsageSeen;
struct Measure;
}  // namespace detail

/// Thread-safe: share one (it shares its transport's connections). Nothing that may have
/// reached the server is retried: authorization codes are single-use.
///
/// Every call returns the token, or an error of category invalid_argument (an empty input,
/// or a configuration that cannot serve: nothing is sent), api (Instagram's error, with
/// hint() for the known ones), transport, timeout, invalid_response, or cancelled (async:
/// the transport shut down, max_in_flight was reached, or the call's Cancellation stopped it
/// before it was sent). Secrets are masked out of every
/// error. A *_async callback runs exactly once, on the transport's engine thread (an error
/// found before sending: on the calling thread, before the call returns); what it throws
/// is caught and dropped.
///
/// @code
/// const TokenExchanger exchanger = TokenExchanger::create(app).value();  // at start-up
/// Result<AccessToken> token = exchanger.exchange(code);                   // short-lived
/// Result<AccessToken> kept = token.and_then([&](const AccessToken& t) {
///   return exchanger.exchange_for_long_lived(t.access_token);             // 60 days
/// });
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenExchanger {
 public:
  /// Called exactly once, as the class comment says.
  using Callback = std::function<void(Result<AccessToken>)>;

  /// @{
  /// Deprecated: use create(). These cannot fail, so an unusable configuration is found only
  /// by every call, at the first user's sign-in instead of at start-up.
  [[deprecated("use TokenExchanger::create()")]] explicit TokenExchanger(
      AppConfig config, const ClientOptions& options = {});
  [[deprecated("use TokenExchanger::create()")]] TokenExchanger(
      AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// @}

  /// @{
  /// The same, but an unusable configuration or options are an invalid_argument error now,
  /// so that a service fails at start-up rather than at its first user's login.
  static Result<TokenExchanger> create(AppConfig config, const ClientOptions& options = {});
  static Result<TokenExchanger> create(AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// @}

  /// @{
  /// As create(), made shared once, for what takes a `shared_ptr<const TokenExchanger>`
  /// (TokenKeeper, TokenRefresher): no copy, and the same errors.
  static Result<std::shared_ptr<const TokenExchanger>> create_shared(
      AppConfig config, const ClientOptions& options = {});
  static Result<std::shared_ptr<const TokenExchanger>> create_shared(
      AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// @}

  /// @{
  /// POST endpoints.token with the code (form body; the client secret never in a URL): the
  /// code as a string or as RedirectParser gives it; blocking, with a callback, or a future.
  Result<AccessToken> exchange(std::string_view code) const;
  Result<AccessToken> exchange(const AuthorizationCode& code) const;
  void exchange_async(std::string_view code, Callback done,
                      std::shared_ptr<Cancellation> cancellation = nullptr) const;
  std::future<Result<AccessToken>> exchange_async(std::string_view code) const;
  void exchange_async(const AuthorizationCode& code, Callback done,
                      std::shared_ptr<Cancellation> cancellation = nullptr) const;
  std::future<Result<AccessToken>> exchange_async(const AuthorizationCode& code) const;
  /// @}

  /// @{
  /// GET {graph}/access_token?grant_type=ig_exchange_token: Instagram demands the client
  /// secret in this URL, so every graph URL is treated as a secret.
  Result<AccessToken> exchange_for_long_lived(std::string_view short_lived_token) const;
  void exchange_for_long_lived_async(std::string_view short_lived_token, Callback done,
                                     std::shared_ptr<Cancellation> cancellation = nullptr) const;
  std::future<Result<AccessToken>> exchange_for_long_lived_async(
      std::string_view short_lived_token) const;
  /// @}

  /// @{
  /// GET {graph}/refresh_access_token?grant_type=ig_refresh_token.
  Result<AccessToken> refresh(std::string_view long_lived_token) const;
  void refresh_async(std::string_view long_lived_token, Callback done,
                     std::shared_ptr<Cancellation> cancellation = nullptr) const;
  std::future<Result<AccessToken>> refresh_async(std::string_view long_lived_token) const;
  /// @}

  const AppConfig& config() const noexcept { return config_; }  ///< as given
  /// The transport, to share with a ProfileClient.
  const std::shared_ptr<HttpTransport>& transport() const noexcept { return transport_; }

  /// The newest of Meta's usage figures that this exchanger's answers (and its copies')
  /// carried, or none before any did: TokenRefresher slows down and waits by it. Thread-safe.
  std::optional<MetaUsage> meta_usage() const;

 private:
  struct Unchecked {};  ///< create()'s way in: the configuration is checked after
  TokenExchanger(Unchecked, AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// The request for a code or token, or why none can be made.
  Result<HttpRequest> code_request(std::string_view code) const;
  Result<HttpRequest> graph_request(const std::string& url_prefix, std::string_view token) const;

  Result<AccessToken> send(const Result<HttpRequest>& request, std::string_view secret,
                           Endpoint endpoint) const;
  void send_async(Result<HttpRequest> request, std::string_view secret, Endpoint endpoint,
                  Callback done, std::shared_ptr<Cancellation> cancellation) const;
  detail::Measure measure(Endpoint endpoint) const;

  AppConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  std::string config_problem_;            ///< why config_ cannot serve, or empty: checked once
  std::shared_ptr<Telemetry> telemetry_;  ///< the transport's, read once
  std::shared_ptr<detail::MetaUsageSeen> usage_seen_;  ///< shared by copies
  /// Built once: per call only the code or the token is added.
  HttpRequest code_request_;
  std::string long_lived_url_prefix_;
  std::string refresh_url_prefix_;
};

}  // namespace instagram::oauth
