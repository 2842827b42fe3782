// `instagram-oauth mock-server`: the Instagram look-alike on 127.0.0.1 for a user's own tests,
// until Ctrl-C, SIGTERM or --for-seconds; at SIGUSR1 a day passes for it.
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace instagram::oauth::cli {
namespace {

struct MockServerArgs {
  int port = 0;
  bool tls = false;
  std::string shape = "flat";
  std::string client_id = testing::MockOptions{}.client_id;  // the look-alike's own app
  std::string redirect_uri = testing::MockOptions{}.redirect_uri;
  std::string api = "instagram-login";
  bool deny = false;
  double for_seconds = 0;
  int latency_ms = 0;
  std::string port_file;  // where to write the address and the app as JSON
};

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
  const std::optional<std::string> secret = read_secret("INSTAGRAM_CLIENT_SECRET", {});
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

}  // namespace

void add_mock_server(CLI::App& app, int& result) {
  auto args = std::make_shared<MockServerArgs>();
  CLI::App* command = app.add_subcommand("mock-server", "run an Instagram look-alike on 127.0.0.1");
  command->add_option("--port", args->port, "port (0: any free one)")->capture_default_str();
  command->add_flag("--tls", args->tls, "serve HTTPS with a throwaway CA (its file is printed)");
  command->add_option("--shape", args->shape, "success answer shape")
      ->check(CLI::IsMember({"flat", "data"}))
      ->capture_default_str();
  command->add_option("--client-id", args->client_id, "the app it accepts")->capture_default_str();
  command->add_option("--redirect-uri", args->redirect_uri, "the redirect URI it accepts")
      ->capture_default_str();
  add_api_option(*command, args->api);
  command->add_flag("--deny", args->deny, "every user cancels the authorization");
  command
      ->add_option("--latency-ms", args->latency_ms, "every answer waits this long (a round trip)")
      ->check(CLI::Range(0, 60'000));
  command->add_option("--for-seconds", args->for_seconds,
                      "stop after this long (default: at Ctrl-C or SIGTERM)");
  command->add_option("--port-file", args->port_file,
                      "write the address, the endpoints and the app as one JSON line there, once "
                      "listening (for test harnesses)");
  command->callback([args, &result] { result = run_mock_server(*args); });
}

}  // namespace instagram::oauth::cli
