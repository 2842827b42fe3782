// The Asio component's cost: sign-ins from 1,000 coroutines (each co_awaits one exchange after
// another, on one io_context thread) beside the callback API keeping 1,000 in flight, against
// nginx over HTTP/2 answering at once after reading the body; alternating rounds, each client
// in a child process of its own. Per row: successes, exchanges/s, CPU (user + system), the
// system part, context switches (voluntary and not) and peak RSS of the client.
//   asio_bench [exchanges 100000] [coroutines 1000] [rounds 3] [only: callbacks|thread|context]
#include <instagram/oauth/asio.hpp>

#include "child_process.hpp"
#include "keep_in_flight.hpp"
#include "nginx.hpp"
#include "sample_app.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace instagram::oauth;
using testing::Listener;
using testing::Nginx;
using testing::Route;

std::string code_number(int i) {
  return "AQB-asio-" + std::to_string(i);
}

AppConfig app_for(const Nginx& nginx) {
  AppConfig config = testing::sample_app();
  config.endpoints.token = nginx.url(Listener::http2, Route::read_body);
  return config;
}

ClientOptions options_for(const Nginx& nginx) {
  ClientOptions options;
  options.ca_file = nginx.ca_file();
  return options;
}

// `coroutines` coroutines on one io_context, each taking the next code until `total` are done;
// the transport has its engine thread, or (`driven`) the context drives it.
bench::AsyncRun coroutines(const Nginx& nginx, int total, int coroutines, bool driven) {
  boost::asio::io_context context(1);
  const TokenExchanger exchanger =
      driven ? TokenExchanger::create(
                   app_for(nginx), make_curl_transport(context.get_executor(), options_for(nginx)))
                   .value()
             : TokenExchanger::create(app_for(nginx), options_for(nginx)).value();
  int next = 0;
  int succeeded = 0;
  const auto sign_in = [&]() -> boost::asio::awaitable<void> {
    while (next < total) {
      const std::string code = code_number(next++);
      auto [error, token] = co_await async_exchange(
          exchanger, code, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (!error && token.access_token == testing::nginx_access_token) ++succeeded;
    }
  };
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < coroutines; ++i) {
    boost::asio::co_spawn(context, sign_in, boost::asio::detached);
  }
  context.run();
  return {succeeded,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()};
}

void row(const char* client, int total, const std::function<bench::AsyncRun()>& run) {
  bench::in_child([&] {
    const bench::AsyncRun outcome = run();
    const bench::Usage usage = bench::usage_so_far();
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    const double system = static_cast<double>(self.ru_stime.tv_sec) +
                          static_cast<double>(self.ru_stime.tv_usec) * 1e-6;
    std::printf("| %-30s | %7d/%-7d | %9.0f | %6.2f s | %6.2f s | %9ld | %6.1f MB |\n", client,
                outcome.succeeded, total, outcome.succeeded / outcome.seconds, usage.cpu_seconds,
                system, self.ru_nvcsw + self.ru_nivcsw, usage.peak_rss_mb);
    return outcome.succeeded == total ? 0 : 1;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const std::string only = argc > 4 ? argv[4] : "";
  const auto wanted = [&only](const char* name) { return only.empty() || only == name; };
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const Nginx nginx;
  std::printf("%d exchanges, %d at once, nginx over HTTP/2 answering after reading the body.\n",
              total, in_flight);
  std::printf("| %-30s | %-15s | %9s | %8s | %8s | %9s | %9s |\n", "client", "succeeded", "per s",
              "CPU", "of it sys", "switches", "peak RSS");
  std::printf("|---|---|---:|---:|---:|---:|---:|\n");
  for (int round = 0; round < rounds; ++round) {
    if (wanted("callbacks"))
      row("callbacks, 1,000 in flight", total, [&] {
        const TokenExchanger exchanger =
            TokenExchanger::create(app_for(nginx), options_for(nginx)).value();
        return bench::keep_in_flight(exchanger, total, in_flight, code_number);
      });
    if (wanted("thread"))
      row("1,000 coroutines, engine thread", total,
          [&] { return coroutines(nginx, total, in_flight, false); });
    if (wanted("context"))
      row("1,000 coroutines, on the context", total,
          [&] { return coroutines(nginx, total, in_flight, true); });
  }
  return 0;
}
