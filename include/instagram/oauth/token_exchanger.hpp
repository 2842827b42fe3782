// Step 2 and beyond: the code for a token, a short-lived token for a long-lived one,
// and a long-lived token refreshed.
#pragma once

#include <instagram/oauth/config.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/redirect_parser.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace instagram::oauth {

// Safe to share between threads. Nothing that may have reached the server is retried:
// authorization codes are single-use.
class INSTAGRAM_OAUTH_EXPORT TokenExchanger {
 public:
  explicit TokenExchanger(AppConfig config, const ClientOptions& options = {});
  TokenExchanger(AppConfig config, std::shared_ptr<HttpTransport> transport);

  // POST endpoints.token with the code (form body; the client secret never in a URL).
  Result<AccessToken> exchange(std::string_view code) const;
  Result<AccessToken> exchange(const AuthorizationCode& code) const;

  // GET {graph}/access_token?grant_type=ig_exchange_token: Instagram demands the client
  // secret in this URL, so every graph URL is treated as a secret.
  Result<AccessToken> exchange_for_long_lived(std::string_view short_lived_token) const;

  // GET {graph}/refresh_access_token?grant_type=ig_refresh_token.
  Result<AccessToken> refresh(std::string_view long_lived_token) const;

 private:
  Result<AccessToken> send(const HttpRequest& request, std::string_view secret) const;

  Result<AccessToken> graph_get(const std::string& url_prefix, std::string_view token) const;

  AppConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  std::string config_problem_;  // why config_ cannot serve, or empty: checked once
  // Built once: per call only the code or the token is added.
  HttpRequest code_request_;
  std::string long_lived_url_prefix_;
  std::string refresh_url_prefix_;
};

}  // namespace instagram::oauth
