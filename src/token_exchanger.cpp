#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "secret_mask.hpp"
#include "token_response.hpp"
#include "transport_call.hpp"

#include <utility>

namespace instagram::oauth {
namespace {

// Why `config` cannot serve an exchange, or empty: checked once per exchanger.
std::string config_problem(const AppConfig& config) {
  if (std::string problem = detail::client_id_problem(config.client_id); !problem.empty())
    return problem;
  if (config.client_secret.empty()) return "client_secret is empty";
  for (const auto& [field, url] : {std::pair{"redirect_uri", &config.redirect_uri},
                                   std::pair{"endpoints.token", &config.endpoints.token},
                                   std::pair{"endpoints.graph", &config.endpoints.graph}}) {
    if (std::string problem = detail::check_url(field, *url); !problem.empty()) return problem;
  }
  return {};
}

std::string graph_base(std::string graph) {
  while (!graph.empty() && graph.back() == '/') graph.pop_back();
  return graph;
}

Result<AccessToken> read_token_now(const HttpResponse& response, detail::Secrets secrets) {
  return detail::read_token_response(response, std::chrono::system_clock::now(), secrets);
}

using TokenAnswer = detail::MaskedAnswer<AccessToken, &read_token_now>;

}  // namespace

TokenExchanger::TokenExchanger(AppConfig config, const ClientOptions& options)
    : TokenExchanger(Unchecked{}, std::move(config), make_curl_transport(options)) {}

TokenExchanger::TokenExchanger(AppConfig config, std::shared_ptr<HttpTransport> transport)
    : TokenExchanger(Unchecked{}, std::move(config), std::move(transport)) {}

TokenExchanger::TokenExchanger(Unchecked, AppConfig config,
                               std::shared_ptr<HttpTransport> transport)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      config_problem_(config_problem(config_)),
      telemetry_(transport_ ? transport_->telemetry() : nullptr),
      usage_seen_(std::make_shared<detail::MetaUsageSeen>()) {
  if (!transport_) config_problem_ = "the transport is null";
  code_request_.method = HttpMethod::post;
  code_request_.url = config_.endpoints.token;
  code_request_.form = {{"client_id", config_.client_id},
                        {"client_secret", config_.client_secret},
                        {"grant_type", "authorization_code"},
                        {"redirect_uri", config_.redirect_uri},
                        {"code", {}}};
  const std::string graph = graph_base(config_.endpoints.graph);
  long_lived_url_prefix_ = graph + "/access_token?grant_type=ig_exchange_token&client_secret=";
  detail::append_percent_encoded(long_lived_url_prefix_, config_.client_secret);
  long_lived_url_prefix_ += "&access_token=";
  refresh_url_prefix_ = graph + "/refresh_access_token?grant_type=ig_refresh_token&access_token=";
}

Result<TokenExchanger> TokenExchanger::create(AppConfig config, const ClientOptions& options) {
  return detail::usable_curl_transport(options).and_then(
      [&](std::shared_ptr<HttpTransport> transport) {
        return create(std::move(config), std::move(transport));
      });
}

Result<TokenExchanger> TokenExchanger::create(AppConfig config,
                                              std::shared_ptr<HttpTransport> transport) {
  TokenExchanger exchanger(Unchecked{}, std::move(config), std::move(transport));
  if (!exchanger.config_problem_.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, exchanger.config_problem_);
  }
  return exchanger;
}

namespace {

std::shared_ptr<const TokenExchanger> shared(TokenExchanger&& exchanger) {
  return std::make_shared<const TokenExchanger>(std::move(exchanger));
}

}  // namespace

Result<std::shared_ptr<const TokenExchanger>> TokenExchanger::create_shared(
    AppConfig config, const ClientOptions& options) {
  return create(std::move(config), options).transform(shared);
}

Result<std::shared_ptr<const TokenExchanger>> TokenExchanger::create_shared(
    AppConfig config, std::shared_ptr<HttpTransport> transport) {
  return create(std::move(config), std::move(transport)).transform(shared);
}

Result<HttpRequest> TokenExchanger::code_request(std::string_view code) const {
  if (!config_problem_.empty())
    return OAuthException(ErrorCategory::invalid_argument, config_problem_);
  if (code.empty()) return OAuthException(ErrorCategory::invalid_argument, "code is empty");
  HttpRequest request = code_request_;
  request.form.back().second = code;
  return request;
}

Result<HttpRequest> TokenExchanger::graph_request(const std::string& url_prefix,
                                                  std::string_view token) const {
  if (!config_problem_.empty())
    return OAuthException(ErrorCategory::invalid_argument, config_problem_);
  if (token.empty())
    return OAuthException(ErrorCategory::invalid_argument, "access token is empty");
  HttpRequest request;
  request.url.reserve(url_prefix.size() + 3 * token.size());
  request.url = url_prefix;
  detail::append_percent_encoded(request.url, token);
  return request;
}

Result<AccessToken> TokenExchanger::exchange(std::string_view code) const {
  return send(code_request(code), code, Endpoint::exchange);
}

Result<AccessToken> TokenExchanger::exchange(const AuthorizationCode& code) const {
  return exchange(code.code);
}

void TokenExchanger::exchange_async(std::string_view code, Callback done,
                                    std::shared_ptr<Cancellation> cancellation) const {
  send_async(code_request(code), code, Endpoint::exchange, std::move(done),
             std::move(cancellation));
}

std::future<Result<AccessToken>> TokenExchanger::exchange_async(std::string_view code) const {
  return detail::as_future<AccessToken>(
      [&](Callback done) { exchange_async(code, std::move(done)); });
}

void TokenExchanger::exchange_async(const AuthorizationCode& code, Callback done,
                                    std::shared_ptr<Cancellation> cancellation) const {
  exchange_async(std::string_view(code.code), std::move(done), std::move(cancellation));
}

std::future<Result<AccessToken>> TokenExchanger::exchange_async(
    const AuthorizationCode& code) const {
  return exchange_async(std::string_view(code.code));
}

Result<AccessToken> TokenExchanger::exchange_for_long_lived(
    std::string_view short_lived_token) const {
  return send(graph_request(long_lived_url_prefix_, short_lived_token), short_lived_token,
              Endpoint::long_lived);
}

void TokenExchanger::exchange_for_long_lived_async(
    std::string_view short_lived_token, Callback done,
    std::shared_ptr<Cancellation> cancellation) const {
  send_async(graph_request(long_lived_url_prefix_, short_lived_token), short_lived_token,
             Endpoint::long_lived, std::move(done), std::move(cancellation));
}

std::future<Result<AccessToken>> TokenExchanger::exchange_for_long_lived_async(
    std::string_view short_lived_token) const {
  return detail::as_future<AccessToken>(
      [&](Callback done) { exchange_for_long_lived_async(short_lived_token, std::move(done)); });
}

Result<AccessToken> TokenExchanger::refresh(std::string_view long_lived_token) const {
  return send(graph_request(refresh_url_prefix_, long_lived_token), long_lived_token,
              Endpoint::refresh);
}

void TokenExchanger::refresh_async(std::string_view long_lived_token, Callback done,
                                   std::shared_ptr<Cancellation> cancellation) const {
  send_async(graph_request(refresh_url_prefix_, long_lived_token), long_lived_token,
             Endpoint::refresh, std::move(done), std::move(cancellation));
}

std::future<Result<AccessToken>> TokenExchanger::refresh_async(
    std::string_view long_lived_token) const {
  return detail::as_future<AccessToken>(
      [&](Callback done) { refresh_async(long_lived_token, std::move(done)); });
}

std::optional<MetaUsage> TokenExchanger::meta_usage() const {
  return usage_seen_->newest();
}

detail::Measure TokenExchanger::measure(Endpoint endpoint) const {
  return {telemetry_, endpoint, usage_seen_};
}

Result<AccessToken> TokenExchanger::send(const Result<HttpRequest>& request,
                                         std::string_view secret, Endpoint endpoint) const {
  return detail::call<AccessToken>(transport_.get(), request,
                                   TokenAnswer{config_.client_secret, std::string(secret)},
                                   measure(endpoint));
}

void TokenExchanger::send_async(Result<HttpRequest> request, std::string_view secret,
                                Endpoint endpoint, Callback done,
                                std::shared_ptr<Cancellation> cancellation) const {
  if (request) request->cancellation = std::move(cancellation);
  detail::call_async<AccessToken>(transport_.get(), std::move(request),
                                  TokenAnswer{config_.client_secret, std::string(secret)},
                                  measure(endpoint), std::move(done));
}

}  // namespace instagram::oauth
