// Nothing lost at any load: many exchanges with many in flight against nginx answering at
// once, over HTTP/2 (reading the body first, answering before reading it, rotating its
// connections every 1,000 requests as its default does) and HTTP/1.1 keep-alive; the
// library's async API next to raw libcurl multi with the same never-twice settings (the
// body through a read callback without seek, a second pre-request call aborted, PIPEWAIT,
// 64 connections a host, 100 streams a connection). Per row: successes, codes nginx saw
// twice (where it reads and logs the body), CPU, peak RSS, and RSS after a few seconds
// idle with the client still alive; then a burst of 10,000 at once and what stays after it.
//   load_bench [exchanges 100000] [in flight 1000]
#include <instagram/oauth.hpp>

#include "child_process.hpp"
#include "keep_in_flight.hpp"
#include "nginx.hpp"
#include "raw_form.hpp"
#include "sample_app.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace instagram::oauth;
using testing::Listener;
using testing::Nginx;
using testing::Route;
using Clock = std::chrono::steady_clock;

const AppConfig app = testing::sample_app();
constexpr auto idle = std::chrono::seconds(3);

std::string code_number(int i) {
  return "AQB-load-" + std::to_string(i);
}

struct Scenario {
  const char* name;
  Listener listener;
  Route route;
  const Nginx* nginx;
};

// What a client reports of one run; the rest is measured around it.
struct Outcome {
  int succeeded = 0;
  double seconds = 0;
  double rss_idle_mb = 0;  // after `idle` with the client still alive
};

// The library: `in_flight` exchanges kept going from the callbacks.
Outcome library(const Scenario& scenario, int total, int in_flight) {
  AppConfig config = app;
  config.endpoints.token = scenario.nginx->url(scenario.listener, scenario.route);
  ClientOptions options;
  options.ca_file = scenario.nginx->ca_file();
  if (scenario.listener == Listener::https) options.http_version = HttpVersion::http1_1;
  const TokenExchanger exchanger = TokenExchanger::create(config, options).value();
  const bench::AsyncRun run = bench::keep_in_flight(exchanger, total, in_flight, code_number);
  Outcome outcome{run.succeeded, run.seconds};
  std::this_thread::sleep_for(idle);
  outcome.rss_idle_mb = bench::rss_now_mb();
  return outcome;
}

// The reference: a careful libcurl multi loop that never sends a code twice.
Outcome raw_multi(const Scenario& scenario, int total, int in_flight) {
  struct Transfer {
    CURL* easy = nullptr;
    std::string body;
    std::string upload;
    std::size_t uploaded = 0;
    int starts = 0;
  };
  const bool http2 = scenario.listener == Listener::http2;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64L);
  curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, 100L);
  const std::string url = scenario.nginx->url(scenario.listener, scenario.route);
  const std::string form = bench::raw_form_prefix(app);
  curl_slist* headers = curl_slist_append(nullptr, "User-Agent: instagram-oauth-cpp/0.1.0");
  std::vector<Transfer> transfers(static_cast<std::size_t>(in_flight));
  int started = 0;
  int done = 0;
  int succeeded = 0;
  const auto start = [&](Transfer& transfer) {
    transfer.body.clear();
    transfer.upload = form + code_number(started++);
    transfer.uploaded = 0;
    transfer.starts = 0;
    curl_easy_setopt(transfer.easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(transfer.upload.size()));
    curl_multi_add_handle(multi, transfer.easy);
  };
  for (Transfer& transfer : transfers) {
    CURL* easy = transfer.easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CAINFO, scenario.nginx->ca_file().c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                     http2 ? long{CURL_HTTP_VERSION_2TLS} : long{CURL_HTTP_VERSION_1_1});
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, http2 ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(
        easy, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t count, void* user) {
          auto& t = *static_cast<Transfer*>(user);
          const std::size_t bytes = std::min(size * count, t.upload.size() - t.uploaded);
          t.upload.copy(buffer, bytes, t.uploaded);
          t.uploaded += bytes;
          return bytes;
        });
    curl_easy_setopt(easy, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(
        easy, CURLOPT_PREREQFUNCTION, +[](void* user, char*, char*, int, int) {
          return ++static_cast<Transfer*>(user)->starts > 1 ? CURL_PREREQFUNC_ABORT
                                                            : CURL_PREREQFUNC_OK;
        });
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, &transfer);
    curl_easy_setopt(
        easy, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
          static_cast<std::string*>(out)->append(data, size * count);
          return size * count;
        });
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer.body);
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
      const bool ok = message->data.result == CURLE_OK &&
                      transfer->body.find(testing::nginx_access_token) != std::string::npos;
      curl_multi_remove_handle(multi, message->easy_handle);
      ++done;
      succeeded += ok ? 1 : 0;
      if (started < total) start(*transfer);
    }
    if (done < total) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  Outcome outcome{succeeded, std::chrono::duration<double>(Clock::now() - begin).count()};
  std::this_thread::sleep_for(idle);
  outcome.rss_idle_mb = bench::rss_now_mb();
  for (Transfer& transfer : transfers) curl_easy_cleanup(transfer.easy);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  return outcome;
}

// Codes nginx logged more than once since line `first` of its body log.
long codes_twice(const Nginx& nginx, std::size_t first) {
  std::map<std::string, int> seen;
  const std::vector<std::string> bodies = nginx.logged_bodies();
  long twice = 0;
  for (std::size_t i = first; i < bodies.size(); ++i) {
    const std::size_t at = bodies[i].find("code=");
    if (at != std::string::npos && ++seen[bodies[i].substr(at)] == 2) ++twice;
  }
  return twice;
}

void row(const Scenario& scenario, const char* client, int total,
         const std::function<Outcome()>& run) {
  const std::size_t logged = scenario.nginx->logged_bodies().size();
  bench::in_child([&] {
    const Outcome outcome = run();
    const bench::Usage usage = bench::usage_so_far();
    const std::string twice = scenario.route == Route::read_body
                                  ? std::to_string(codes_twice(*scenario.nginx, logged))
                                  : std::string("-");
    std::printf("| %-34s | %-22s | %7d/%-7d | %5s | %9.0f | %6.2f s | %6.1f MB | %6.1f MB |\n",
                scenario.name, client, outcome.succeeded, total, twice.c_str(),
                outcome.succeeded / outcome.seconds, usage.cpu_seconds, usage.peak_rss_mb,
                outcome.rss_idle_mb);
    return 0;
  });
}

// 10,000 at once over HTTP/1.1 keep-alive: the handles of a burst, and what stays after it.
void burst(const Nginx& nginx) {
  bench::in_child([&] {
    const double before = bench::rss_now_mb();
    AppConfig config = app;
    config.endpoints.token = nginx.url(Listener::https, Route::read_body);
    ClientOptions options;
    options.ca_file = nginx.ca_file();
    options.http_version = HttpVersion::http1_1;
    const std::shared_ptr<HttpTransport> transport = make_curl_transport(options);
    const TokenExchanger exchanger = TokenExchanger::create(config, transport).value();
    std::atomic<int> succeeded{0};
    std::atomic<int> done{0};
    for (int i = 0; i < 10'000; ++i) {
      exchanger.exchange_async(code_number(i), [&](Result<AccessToken> token) {
        if (token) ++succeeded;
        ++done;
      });
    }
    while (done < 10'000) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(idle);
    const TransportStats stats = transport->stats().value();
    std::printf(
        "burst of 10,000 at once, HTTP/1.1: %d succeeded; RSS %.1f MB before, %.1f MB peak, "
        "%.1f MB after %lld s idle (%zu handles pooled, %zu connections)\n",
        succeeded.load(), before, bench::usage_so_far().peak_rss_mb, bench::rss_now_mb(),
        static_cast<long long>(idle.count()), stats.pooled_handles, stats.connections);
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 1000;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  testing::NginxOptions steady;
  steady.log_bodies = true;
  testing::NginxOptions rotating = steady;
  rotating.keepalive_requests = 1000;  // nginx's default
  const Nginx nginx(steady);
  const Nginx rotating_nginx(rotating);
  std::printf(
      "%d exchanges, %d in flight, nginx answering at once; RSS idle: after %lld s "
      "with the client alive.\n",
      total, in_flight, static_cast<long long>(idle.count()));
  std::printf("| %-34s | %-22s | %-15s | %5s | %9s | %8s | %9s | %9s |\n", "server", "client",
              "succeeded", "twice", "per s", "CPU", "peak RSS", "RSS idle");
  std::printf("|---|---|---|---:|---:|---:|---:|---:|\n");
  const Scenario scenarios[] = {
      {"HTTP/2, reads the body first", Listener::http2, Route::read_body, &nginx},
      {"HTTP/2, answers before the body", Listener::http2, Route::answer_first, &nginx},
      {"HTTP/2, GOAWAY every 1,000", Listener::http2, Route::read_body, &rotating_nginx},
      {"HTTP/1.1 keep-alive, every 1,000", Listener::https, Route::read_body, &rotating_nginx},
  };
  for (const Scenario& scenario : scenarios) {
    row(scenario, "async API, defaults", total,
        [&] { return library(scenario, total, in_flight); });
    row(scenario, "raw libcurl multi", total,
        [&] { return raw_multi(scenario, total, in_flight); });
  }
  burst(nginx);
  return 0;
}
