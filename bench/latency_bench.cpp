// Many sign-ins at once against a server that answers after a real round trip: nginx
// (echo_sleep) answering each token POST after `latency`, over HTTPS with HTTP/1.1 and with
// h2. The library's async API and 200 blocking threads against raw libcurl multi, in the
// same run; then 10,000 exchanges with 1,000 in flight. Each scenario runs in a child
// process of its own, so that its CPU time and peak RSS are its own.
//   latency_bench [exchanges 2000] [in flight 200] [latency ms 100]
#include <instagram/oauth.hpp>

#include "child_process.hpp"
#include "keep_in_flight.hpp"
#include "nginx.hpp"
#include "raw_form.hpp"
#include "sample_app.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace instagram::oauth;
using testing::Listener;
using testing::Nginx;
using Clock = std::chrono::steady_clock;

constexpr const char* code = "AQBx-hBsH3sampleCode0123456789";
const AppConfig app = testing::sample_app();

struct Outcome {
  int succeeded = 0;
  double seconds = 0;
};

// The library: `in_flight` exchanges kept going from the callbacks, on one engine thread.
Outcome library_async(const Nginx& nginx, Listener listener, int total, int in_flight,
                      const ClientOptions& options) {
  AppConfig config = app;
  config.endpoints.token = nginx.url(listener, true);
  const TokenExchanger exchanger = TokenExchanger::create(config, options).value();
  const bench::AsyncRun run =
      bench::keep_in_flight(exchanger, total, in_flight, [](int) { return std::string(code); });
  return {run.succeeded, run.seconds};
}

// Blocking exchange() from `threads` threads at the library's defaults.
Outcome library_threads(const Nginx& nginx, Listener listener, int total, int threads) {
  AppConfig config = app;
  config.endpoints.token = nginx.url(listener, true);
  ClientOptions options;
  options.ca_file = nginx.ca_file();
  const TokenExchanger exchanger = TokenExchanger::create(config, options).value();
  std::atomic<int> next{0};
  std::atomic<int> succeeded{0};
  const auto begin = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (next++ < total) succeeded += exchanger.exchange(code).has_value() ? 1 : 0;
    });
  }
  for (std::thread& worker : workers) worker.join();
  return {succeeded.load(), std::chrono::duration<double>(Clock::now() - begin).count()};
}

// The reference: a careful hand-written libcurl multi loop with the same form and parse.
Outcome raw_multi(const Nginx& nginx, Listener listener, int total, int in_flight, bool http2) {
  struct Transfer {
    CURL* easy = nullptr;
    std::string body;
  };
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(in_flight));
  const std::string url = nginx.url(listener, true);
  const std::string form = bench::raw_form_prefix(app) + code;
  curl_slist* headers = curl_slist_append(nullptr, "User-Agent: instagram-oauth-cpp/0.1.0");
  std::vector<Transfer> transfers(static_cast<std::size_t>(in_flight));
  int started = 0;
  int done = 0;
  int succeeded = 0;
  const auto start = [&](Transfer& transfer) {
    transfer.body.clear();
    curl_multi_add_handle(multi, transfer.easy);
    ++started;
  };
  for (Transfer& transfer : transfers) {
    transfer.easy = curl_easy_init();
    curl_easy_setopt(transfer.easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(transfer.easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(transfer.easy, CURLOPT_CAINFO, nginx.ca_file().c_str());
    curl_easy_setopt(transfer.easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(transfer.easy, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(transfer.easy, CURLOPT_HTTP_VERSION,
                     http2 ? long{CURL_HTTP_VERSION_2TLS} : long{CURL_HTTP_VERSION_1_1});
    if (http2) curl_easy_setopt(transfer.easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(
        transfer.easy, CURLOPT_WRITEFUNCTION,
        +[](char* data, size_t size, size_t count, void* out) {
          static_cast<std::string*>(out)->append(data, size * count);
          return size * count;
        });
    curl_easy_setopt(transfer.easy, CURLOPT_WRITEDATA, &transfer.body);
    if (started < total) start(transfer);
  }
  const auto begin = Clock::now();
  while (done < total) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      curl_multi_remove_handle(multi, message->easy_handle);
      ++done;
      if (message->data.result == CURLE_OK) {
        const auto answer = nlohmann::json::parse(transfer->body, nullptr, false);
        if (!answer.is_discarded() && answer.contains("access_token")) ++succeeded;
      }
      if (started < total) start(*transfer);
    }
    if (done < total) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  for (Transfer& transfer : transfers) curl_easy_cleanup(transfer.easy);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  return {succeeded, seconds};
}

// Runs `scenario` in a child process and prints its row: its own CPU and peak RSS.
void row(const Nginx& nginx, const char* client, const char* protocol, int total,
         const std::function<Outcome()>& scenario) {
  bench::in_child([&] {
    const long before = nginx.accepted();
    const Outcome outcome = scenario();
    const long connections = nginx.accepted() - before - 1;  // the first status query
    const bench::Usage usage = bench::usage_so_far();
    std::printf("| %-40s | %-8s | %6d/%-6d | %11.0f | %7.2f s | %7.1f MB | %11ld |\n", client,
                protocol, outcome.succeeded, total, outcome.succeeded / outcome.seconds,
                usage.cpu_seconds, usage.peak_rss_mb, connections);
    return outcome.succeeded == total ? 0 : 1;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 200;
  const int latency = argc > 3 ? std::atoi(argv[3]) : 100;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const Nginx nginx{std::chrono::milliseconds(latency)};
  std::printf(
      "Every token POST answered after %d ms by nginx over HTTPS; %d exchanges, %d in "
      "flight.\n",
      latency, total, in_flight);
  std::printf("| %-40s | %-8s | %-13s | %11s | %9s | %10s | %11s |\n", "client", "protocol",
              "succeeded", "exchanges/s", "CPU", "peak RSS", "connections");
  std::printf("|---|---|---|---:|---:|---:|---:|\n");
  ClientOptions h1;
  h1.ca_file = nginx.ca_file();
  h1.http_version = HttpVersion::http1_1;
  h1.max_connections = static_cast<std::size_t>(in_flight);
  ClientOptions defaults;
  defaults.ca_file = nginx.ca_file();
  row(nginx, "(a) async API, max_connections = in flight", "HTTP/1.1", total,
      [&] { return library_async(nginx, Listener::https, total, in_flight, h1); });
  row(nginx, "(b) raw libcurl multi", "HTTP/1.1", total,
      [&] { return raw_multi(nginx, Listener::https, total, in_flight, false); });
  row(nginx, "(a) async API, defaults", "HTTP/2", total,
      [&] { return library_async(nginx, Listener::http2, total, in_flight, defaults); });
  row(nginx, "(b) raw libcurl multi", "HTTP/2", total,
      [&] { return raw_multi(nginx, Listener::http2, total, in_flight, true); });
  row(nginx, "(c) 200 blocking threads, defaults", "HTTP/2", total,
      [&] { return library_threads(nginx, Listener::http2, total, 200); });
  row(nginx, "(d) async API, defaults, 10,000 / 1,000", "HTTP/2", 10'000,
      [&] { return library_async(nginx, Listener::http2, 10'000, 1'000, defaults); });
  return 0;
}
