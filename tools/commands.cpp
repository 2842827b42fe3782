#include "commands.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

namespace instagram::oauth::cli {
namespace {

constexpr const char* secret_variable = "INSTAGRAM_CLIENT_SECRET";
constexpr const char* token_variable = "INSTAGRAM_ACCESS_TOKEN";

// The app with its client secret, or nullopt after saying where the secret comes from.
std::optional<AppConfig> app_with_secret(const Connection& connection) {
  std::optional<std::string> secret = read_secret(secret_variable, connection.client_secret_file);
  if (!secret) {
    usage_error(
        "the client secret comes from $INSTAGRAM_CLIENT_SECRET or --client-secret-file, never "
        "argv");
    return std::nullopt;
  }
  return connection.app_config(std::move(*secret));
}

int print_result(const Result<AccessToken>& token, const TokenOutput& output) {
  if (!token) return report(token.error());
  print_token(std::cout, *token, output);
  return success;
}

std::optional<std::string> token_from(const TokenArgs& args) {
  std::optional<std::string> token = read_secret(token_variable, args.token_file);
  if (!token)
    usage_error("the token comes from $INSTAGRAM_ACCESS_TOKEN or --token-file, never argv");
  return token;
}

// "2026-11-30T06:00:00Z", as --json prints times.
std::optional<std::chrono::system_clock::time_point> utc_time_point(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&parts));
}

int run_token_call(const TokenArgs& args, bool refresh) {
  const std::optional<AppConfig> config = app_with_secret(args.connection);
  if (!config) return usage;
  const std::optional<std::string> token = token_from(args);
  if (!token) return usage;
  if (refresh && args.if_due) {
    AccessToken current;
    current.access_token = *token;
    current.received_at = utc_time_point(args.received_at);
    current.expires_at = utc_time_point(args.expires_at);
    if (!current.received_at || !current.expires_at) {
      return usage_error(
          "--if-due needs --received-at and --expires-at as UTC times, e.g. "
          "2026-11-30T06:00:00Z");
    }
    if (!refresh_due(current, std::chrono::system_clock::now())) {
      std::cout << "refresh not due: the token is under 24 hours old or more than 7 days from "
                   "expiring; nothing sent\n";
      return success;
    }
    std::cout << "refresh due: refreshing\n";
  }
  const TokenExchanger exchanger(*config, args.connection.client_options());
  return print_result(
      refresh ? exchanger.refresh(*token) : exchanger.exchange_for_long_lived(*token), args.output);
}

// Blocks SIGINT, SIGTERM and SIGUSR1 in every thread started after it, so that sigtimedwait
// here receives them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Until SIGINT or SIGTERM, or `seconds` (when positive); each SIGUSR1 calls `on_usr1`.
void wait_for_stop(const sigset_t& signals, double seconds, const std::function<void()>& on_usr1) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds > 0 ? seconds : 0);
  for (;;) {
    int received = 0;
    if (seconds <= 0) {
      if (sigwait(&signals, &received) != 0) return;
    } else {
      const std::chrono::duration<double> left = deadline - std::chrono::steady_clock::now();
      if (left.count() <= 0) return;
      const auto whole = static_cast<time_t>(left.count());
      const timespec limit{whole,
                           static_cast<long>((left.count() - static_cast<double>(whole)) * 1e9)};
      received = sigtimedwait(&signals, nullptr, &limit);
      if (received < 0 && errno == EAGAIN) return;
    }
    if (received == SIGUSR1) {
      on_usr1();
    } else if (received == SIGINT || received == SIGTERM) {
      return;
    }
  }
}

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

}  // namespace

bool start_mock(std::optional<testing::InstagramMock>& mock, const testing::MockOptions& options) {
  try {
    mock.emplace(options);
    return true;
  } catch (const std::exception& error) {
    std::cerr << "transport: the look-alike could not start: " << error.what() << '\n';
    return false;
  }
}

int run_authorize_url(const AuthorizeUrlArgs& args) {
  AuthorizeUrlBuilder builder(args.connection.app_config({}));
  builder.scope(args.scope);
  std::string state = args.state;
  if (state == "auto") {
    const Result<std::string> generated = try_generate_state();
    if (!generated) return report(generated.error());
    state = *generated;
  }
  if (!args.state.empty()) builder.state(state);
  for (const std::string& param : args.params) {
    const std::size_t eq = param.find('=');
    if (eq == std::string::npos)
      return usage_error("--param takes NAME=VALUE, got '" + param + "'");
    builder.extra_param(param.substr(0, eq), param.substr(eq + 1));
  }
  if (args.force_reauth) builder.force_reauth(true);
  if (args.no_fb_login) builder.enable_fb_login(false);
  const Result<std::string> url = builder.build();
  if (!url) return report(url.error());
  if (args.json) {
    nlohmann::json answer = {{"url", *url}};
    answer["state"] = args.state.empty() ? nlohmann::json() : nlohmann::json(state);
    std::cout << answer.dump() << '\n';
  } else {
    std::cout << *url << '\n';
    if (args.state == "auto") std::cerr << "state: " << state << '\n';
  }
  return success;
}

int run_parse_redirect(const ParseRedirectArgs& args) {
  AppConfig config;
  config.redirect_uri =
      args.redirect_uri.empty() ? "https://redirect-uri.invalid/" : args.redirect_uri;
  RedirectParser parser(config);
  if (args.expected_state) parser.expected_state(*args.expected_state);
  // Without --redirect-uri there is no base to check: read the query alone.
  std::string_view redirect = args.redirect;
  if (args.redirect_uri.empty() && redirect.find('?') != std::string_view::npos) {
    redirect = redirect.substr(redirect.find('?'));
  }
  const Result<AuthorizationCode> code = parser.parse(redirect);
  if (!code) return report(code.error());
  if (args.json) {
    nlohmann::json answer = {{"code", code->code}};
    answer["state"] = code->state ? nlohmann::json(*code->state) : nlohmann::json();
    std::cout << answer.dump() << '\n';
  } else {
    std::cout << "code:  " << code->code << '\n';  // printing the code is this command's job
    if (code->state) std::cout << "state: " << *code->state << '\n';
  }
  return success;
}

int run_exchange(const ExchangeArgs& args) {
  const std::optional<AppConfig> app = app_with_secret(args.connection);
  if (!app) return usage;
  const AppConfig& config = *app;
  std::string code = args.code;
  if (!args.redirect.empty()) {
    RedirectParser parser(config);
    if (args.expected_state) parser.expected_state(*args.expected_state);
    Result<AuthorizationCode> parsed = parser.parse(args.redirect);
    if (!parsed) return report(parsed.error());
    code = std::move(parsed->code);
  }
  const TokenExchanger exchanger(config, args.connection.client_options());
  return print_result(exchanger.exchange(code), args.output);
}

int run_long_lived(const TokenArgs& args) {
  return run_token_call(args, false);
}

int run_refresh(const TokenArgs& args) {
  return run_token_call(args, true);
}

int run_me(const TokenArgs& args) {
  const std::optional<AppConfig> config = app_with_secret(args.connection);
  if (!config) return usage;
  const std::optional<std::string> token = token_from(args);
  if (!token) return usage;
  const Result<UserProfile> profile =
      ProfileClient(*config, args.connection.client_options()).me(*token);
  if (!profile) return report(profile.error());
  print_profile(std::cout, *profile, args.output);
  return success;
}

int run_mock_server(const MockServerArgs& args) {
  const sigset_t signals = block_stop_signals();
  testing::MockOptions options;
  options.tls = args.tls;
  options.port = args.port;
  options.client_id = args.client_id;
  options.redirect_uri = args.redirect_uri;
  options.shape = args.shape == "data" ? testing::SuccessShape::data : testing::SuccessShape::flat;
  options.latency = std::chrono::milliseconds(args.latency_ms);
  if (args.latency_ms > 0) options.threads = 1100;  // a thousand delayed requests at once
  options.api = endpoints_for(args.api);
  const std::optional<std::string> secret = read_secret(secret_variable, {});
  if (secret) options.client_secret = *secret;
  std::optional<testing::InstagramMock> mock;
  if (!start_mock(mock, options)) return network;
  if (args.deny) mock->set_user_decision(testing::UserDecision::deny);
  const Endpoints endpoints = mock->endpoints();
  std::cout << "Instagram look-alike listening at " << mock->base_url() << '\n'
            << "  authorize:     " << endpoints.authorize << '\n'
            << "  token:         " << endpoints.token << '\n'
            << "  graph:         " << endpoints.graph << '\n'
            << "  client_id:     " << options.client_id << '\n'
            << "  redirect_uri:  " << options.redirect_uri << '\n'
            << "  client secret: "
            << (secret ? std::string("the value of $INSTAGRAM_CLIENT_SECRET")
                       : options.client_secret + " (the default)")
            << '\n';
  if (args.tls) std::cout << "  CA file:       " << mock->ca_file() << '\n';
  if (!args.port_file.empty()) {
    // For a test harness: the same, as JSON, written whole (renamed into place) once the
    // server listens. A secret from the environment is the caller's and is not written.
    nlohmann::json address = {
        {"base_url", mock->base_url()},   {"authorize", endpoints.authorize},
        {"token", endpoints.token},       {"graph", endpoints.graph},
        {"client_id", options.client_id}, {"redirect_uri", options.redirect_uri}};
    if (!secret) address["client_secret"] = options.client_secret;
    if (args.tls) address["ca_file"] = mock->ca_file();
    // Created anew, never through a link another user planted at FILE.partial (which would
    // have the JSON, the look-alike's secret among it, written wherever it points).
    const std::string partial = args.port_file + ".partial";
    ::unlink(partial.c_str());
    const int fd =
        ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    const std::string line = address.dump() + '\n';
    const bool written =
        fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    if (fd >= 0) ::close(fd);
    if (!written || std::rename(partial.c_str(), args.port_file.c_str()) != 0) {
      std::cerr << "system: cannot write " << text(args.port_file) << '\n';
      return usage;
    }
  }
  std::cout << (args.for_seconds > 0 ? "Stops by itself." : "Press Ctrl-C to stop.")
            << " kill -USR1 " << ::getpid()
            << ": a day passes for the look-alike (its tokens can be refreshed)." << std::endl;
  wait_for_stop(signals, args.for_seconds, [&] {
    // 25 hours: every long-lived token it issued is then past Instagram's 24-hour minimum age.
    mock->advance_clock(std::chrono::hours(25));
    std::cout << "The look-alike's clock moved 25 hours ahead." << std::endl;
  });
  std::cout << "Served " << mock->requests() << " requests." << std::endl;
  return success;
}

int run_login(const LoginArgs& args) {
  const std::optional<AppConfig> app = app_with_secret(args.connection);
  if (!app) return usage;
  const AppConfig& config = *app;
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
  const TokenExchanger exchanger(config, args.connection.client_options());
  const Result<AccessToken> token = exchanger.exchange(**code);
  if (!token || args.output.json) return print_result(token, args.output);
  const int printed = print_result(token, args.output);
  // Who signed in; the token is already printed, so a failure here is reported after it.
  const Result<UserProfile> profile =
      ProfileClient(config, exchanger.transport()).me(token->access_token);
  if (!profile) return report(profile.error());
  print_profile(std::cout, *profile, args.output);
  return printed;
}

}  // namespace instagram::oauth::cli
