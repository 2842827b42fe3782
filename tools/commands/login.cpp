// `instagram-oauth login`: the whole flow from a terminal. The URL to open, the redirect
// received on a loopback redirect URI (or pasted), the state checked, the code traded, and who
// signed in.
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace instagram::oauth::cli {
namespace {

struct LoginArgs {
  Connection connection;
  std::string scope;  // empty: the API's required scope
  std::string state;
  int listen_timeout_seconds = 300;
  TokenOutput output;
};

// Waits on a loopback redirect URI for the browser's request that carries `state`: the
// code or the denial it brought. The path is compared exactly (never as a pattern), and a
// request without the expected state is answered and ignored: it ends nothing.
std::optional<Result<AuthorizationCode>> receive_redirect(const AppConfig& config,
                                                          const std::string& state,
                                                          int timeout_seconds) {
  const auto parts = detail::split_url(config.redirect_uri);
  if (!parts) return std::nullopt;
  std::string host(parts->host);
  if (host == "[::1]") host = "::1";
  const std::string path = parts->path.empty() ? "/" : std::string(parts->path);
  const std::string base = config.redirect_uri.substr(0, config.redirect_uri.find('?'));
  const RedirectParser parser(config);
  httplib::Server server;
  std::mutex mutex;
  std::condition_variable arrived;
  std::optional<Result<AuthorizationCode>> received;
  server.Get(".*", [&](const httplib::Request& request, httplib::Response& response) {
    const auto page = [&](int status, const char* text) {
      response.status = status;
      response.set_content(
          std::string("<!doctype html><title>instagram-oauth</title><p>") + text + "</p>",
          "text/html; charset=utf-8");
    };
    if (request.path != path) return page(404, "Not the redirect URI.");
    const std::size_t query = std::min(request.target.find('?'), request.target.size());
    Result<AuthorizationCode> code = parser.parse(base + request.target.substr(query), state);
    if (!code && code.error().category() == ErrorCategory::state_mismatch) {
      return page(400, "This is not the sign-in this terminal is waiting for.");
    }
    page(code ? 200 : 400, code ? "Signed in: you can close this window and return to the terminal."
                                : "Not signed in: see the terminal.");
    std::lock_guard<std::mutex> lock(mutex);
    if (!received) received = std::move(code);
    arrived.notify_all();
  });
  if (!server.bind_to_port(host.c_str(), parts->port)) return std::nullopt;
  std::cout << "Waiting for the redirect on " << config.redirect_uri << " ..." << std::endl;
  std::thread listener([&] { server.listen_after_bind(); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    arrived.wait_for(lock, std::chrono::seconds(timeout_seconds),
                     [&] { return received.has_value(); });
  }
  server.stop();
  listener.join();
  return received;
}

int run_login(const LoginArgs& args) {
  const std::optional<AppConfig> app = app_with_secret(args.connection);
  if (!app) return usage;
  const AppConfig& config = *app;
  // Made before the user is sent anywhere: an unusable configuration is said at once.
  const Result<TokenExchanger> exchanger =
      TokenExchanger::create(config, args.connection.client_options());
  if (!exchanger) return report(exchanger.error());
  std::string state = args.state;
  if (state.empty()) {
    const Result<std::string> generated = try_generate_state();
    if (!generated) return report(generated.error());
    state = *generated;
  }
  const Result<std::string> url =
      AuthorizeUrlBuilder(config)
          .scope(args.scope.empty() ? config.endpoints.required_scope : args.scope)
          .state(state)
          .build();
  if (!url) return report(url.error());
  std::cout << "Open this URL in a browser and allow the app:\n" << *url << std::endl;

  const auto parts = detail::split_url(config.redirect_uri);
  const bool loopback =
      parts && detail::iequals(parts->scheme, "http") && detail::is_loopback_host(parts->host);
  std::optional<Result<AuthorizationCode>> code;
  if (loopback) {
    code = receive_redirect(config, state, args.listen_timeout_seconds);
    if (!code)
      return report(OAuthException(ErrorCategory::timeout, "no redirect arrived at redirect_uri"));
  } else {
    std::string redirect;
    std::cout << "Paste the URL your browser was sent to:" << std::endl;
    if (!std::getline(std::cin, redirect)) {
      return report(
          OAuthException(ErrorCategory::invalid_redirect, "no redirect URL on standard input"));
    }
    code = RedirectParser(config).parse(redirect, state);
  }
  if (!*code) return report(code->error());
  std::cout << "State checked; trading the code for a token." << std::endl;
  const Result<AccessToken> token = exchanger->exchange(**code);
  if (!token || args.output.json) return print_result(token, args.output);
  const int printed = print_result(token, args.output);
  // Who signed in; the token is already printed, so a failure here is reported after it.
  const Result<UserProfile> profile =
      ProfileClient::create(config, exchanger->transport()).and_then([&](const ProfileClient& p) {
        return p.me(token->access_token);
      });
  if (!profile) return report(profile.error());
  print_profile(std::cout, *profile, args.output);
  return printed;
}

}  // namespace

void add_login(CLI::App& app, int& result) {
  auto args = std::make_shared<LoginArgs>();
  CLI::App* command =
      app.add_subcommand("login", "the whole flow: URL, redirect, state check, token");
  command->add_option("--scope", args->scope,
                      "permissions, comma-separated (default: the API's required one)");
  command->add_option("--state", args->state, "a fixed state (default: 256 random bits)");
  command
      ->add_option("--listen-timeout", args->listen_timeout_seconds,
                   "seconds to wait for the redirect on a loopback redirect URI")
      ->capture_default_str();
  add_connection(*command, args->connection, true);
  add_token_output(*command, args->output);
  command->callback([args, &result] {
    json_errors = args->output.json;
    result = run_login(*args);
  });
}

}  // namespace instagram::oauth::cli
