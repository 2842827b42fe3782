// What the examples in the public headers' comments use without declaring it: the names a
// service has at hand. Declared only: the examples are compiled, never linked or run.
#pragma once

#include <instagram/oauth.hpp>

#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

using namespace instagram::oauth;

namespace prometheus {
class Registry;
}  // namespace prometheus
extern prometheus::Registry& registry;

extern AppConfig app;
extern ClientOptions options;
extern const TokenExchanger exchanger;
extern const ProfileClient profiles;
extern const RedirectParser parser;
extern std::shared_ptr<TokenStore> store;
extern std::shared_ptr<SessionStore> sessions;
extern StoredToken stored;
extern AccessToken token, long_lived;
extern SignedRequest signed_request;
extern std::string code, other_code, user_id, state_key, browser_binding, callback_url, request_url,
    conninfo, key, client_id, client_secret, redirect_uri, cookie_value;
struct UserSession {
  std::string state;
};
extern UserSession session;
struct Metrics {
  void gauge(const char* name, std::size_t value);
};
extern Metrics metrics;
void log(const std::string& line);
void report(const OAuthException& error);
void show(const OAuthException& error);
void save(const std::string& access_token);
void save(const AccessToken& token);
void greet(const std::string& username);
void alert(std::size_t failed);
void ask_to_sign_in(const std::string& user_id);
void log_pass(const Result<RefreshReport>& pass);
void record(const RequestMeasurement& measurement);
void on_token(Result<AccessToken> token);
