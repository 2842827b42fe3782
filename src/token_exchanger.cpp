#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "secret_mask.hpp"
#include "token_response.hpp"

#include <exception>
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

}  // namespace

TokenExchanger::TokenExchanger(AppConfig config, const ClientOptions& options)
    : TokenExchanger(std::move(config), make_curl_transport(options)) {}

TokenExchanger::TokenExchanger(AppConfig config, std::shared_ptr<HttpTransport> transport)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      config_problem_(config_problem(config_)) {
  if (!transport_) config_problem_ = "the transport is null";
  code_request_.method = "POST";
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

Result<AccessToken> TokenExchanger::exchange(std::string_view code) const {
  if (!config_problem_.empty())
    return OAuthException(ErrorCategory::invalid_argument, config_problem_);
  if (code.empty()) return OAuthException(ErrorCategory::invalid_argument, "code is empty");
  HttpRequest request = code_request_;
  request.form.back().second = code;
  return send(request, code);
}

Result<AccessToken> TokenExchanger::exchange(const AuthorizationCode& code) const {
  return exchange(code.code);
}

Result<AccessToken> TokenExchanger::exchange_for_long_lived(
    std::string_view short_lived_token) const {
  return graph_get(long_lived_url_prefix_, short_lived_token);
}

Result<AccessToken> TokenExchanger::refresh(std::string_view long_lived_token) const {
  return graph_get(refresh_url_prefix_, long_lived_token);
}

Result<AccessToken> TokenExchanger::graph_get(const std::string& url_prefix,
                                              std::string_view token) const {
  if (!config_problem_.empty())
    return OAuthException(ErrorCategory::invalid_argument, config_problem_);
  if (token.empty())
    return OAuthException(ErrorCategory::invalid_argument, "access token is empty");
  HttpRequest request;
  request.method = "GET";
  request.url.reserve(url_prefix.size() + 3 * token.size());
  request.url = url_prefix;
  detail::append_percent_encoded(request.url, token);
  return send(request, token);
}

// Sends once, maps the answer, and masks every secret the request carried out of errors.
Result<AccessToken> TokenExchanger::send(const HttpRequest& request,
                                         std::string_view secret) const {
  const auto masked = [&](const OAuthException& error) {
    return detail::mask_error(error, {config_.client_secret, secret});
  };
  try {
    Result<HttpResponse> response = transport_->send(request);
    if (!response) return masked(response.error());
    Result<AccessToken> token = detail::read_token_response(
        *response, std::chrono::system_clock::now(), {config_.client_secret, secret});
    if (!token) return masked(token.error());
    return token;
  } catch (const OAuthException& error) {
    return masked(error);
  } catch (const std::exception& error) {
    return masked(OAuthException(ErrorCategory::transport,
                                 std::string("the transport failed: ") + error.what()));
  }
}

}  // namespace instagram::oauth
