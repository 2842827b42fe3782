// The exchange, end to end over loopback: TokenExchanger against raw libcurl (one reused
// easy handle, a prebuilt form, nlohmann/json parsing), alternating in one run, over HTTP
// and HTTPS, against nginx answering a fixed token (fast enough not to be the bottleneck),
// then 1, 2, 4 and 8 threads sharing one TokenExchanger. The server's connection count
// comes from nginx's stub_status; every new HTTPS connection is one TLS handshake.
//   exchange_bench [requests per run] [rounds] [requests per thread]
#include <instagram/oauth.hpp>

#include "nginx.hpp"
#include "raw_form.hpp"
#include "sample_app.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace instagram::oauth;
using testing::Nginx;
using Clock = std::chrono::steady_clock;

constexpr const char* code = "AQBx-hBsH3sampleCode0123456789";

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The reference: what a careful hand-written client does with libcurl.
class RawCurl {
 public:
  // libcurl sends no User-Agent by default; the library always sends one
  // (ClientOptions::user_agent), and a header line costs about 4,600 instructions per request:
  // with_user_agent compares alike.
  RawCurl(const std::string& url, const std::string& ca_file, bool with_user_agent)
      : easy_(curl_easy_init()) {
    form_prefix_ = bench::raw_form_prefix(testing::sample_app());
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    if (!ca_file.empty()) curl_easy_setopt(easy_, CURLOPT_CAINFO, ca_file.c_str());
    curl_easy_setopt(
        easy_, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
          static_cast<std::string*>(out)->append(data, size * count);
          return size * count;
        });
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &body_);
    if (with_user_agent) {
      headers_ = curl_slist_append(nullptr, "User-Agent: instagram-oauth-cpp/0.1.0");
      curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    }
  }
  ~RawCurl() {
    curl_easy_cleanup(easy_);
    curl_slist_free_all(headers_);
  }

  bool exchange(const char* authorization_code) {
    body_.clear();
    char* escaped = curl_easy_escape(easy_, authorization_code, 0);
    form_ = form_prefix_ + escaped;
    curl_free(escaped);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(form_.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, form_.c_str());
    if (curl_easy_perform(easy_) != CURLE_OK) return false;
    const nlohmann::json answer = nlohmann::json::parse(body_, nullptr, false);
    if (answer.is_discarded()) return false;
    token_ = answer.value("access_token", std::string());
    user_id_ = std::to_string(answer.value("user_id", std::uint64_t{0}));
    return !token_.empty();
  }

 private:
  CURL* easy_;
  curl_slist* headers_ = nullptr;
  std::string form_prefix_, form_, body_, token_, user_id_;
};

struct Run {
  std::vector<double> micros;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  long connections = 0;
};

template <class Exchange>
Run measure(const Nginx& nginx, int requests, Exchange&& exchange) {
  Run run;
  run.micros.reserve(static_cast<std::size_t>(requests));
  const long accepted_before = nginx.accepted();
  const double cpu_before = process_cpu_seconds();
  const auto start = Clock::now();
  for (int i = 0; i < requests; ++i) {
    const auto t0 = Clock::now();
    if (!exchange()) throw std::runtime_error("an exchange failed");
    run.micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  run.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.cpu_seconds = process_cpu_seconds() - cpu_before;
  run.connections = nginx.accepted() - accepted_before - 1;  // the first status query
  return run;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

double median(std::vector<double> values) {
  return percentile(std::move(values), 0.5);
}

void print_row(const char* who, const char* protocol, const std::vector<Run>& runs, int requests) {
  std::vector<double> medians, p99s, cpus, rates;
  long connections = 0;
  for (const Run& run : runs) {
    medians.push_back(median(run.micros));
    p99s.push_back(percentile(run.micros, 0.99));
    cpus.push_back(run.cpu_seconds * 1e6 / requests);
    rates.push_back(requests / run.wall_seconds);
    connections = std::max(connections, run.connections);
  }
  // Each new connection to the HTTPS port is one TLS handshake.
  const long handshakes = std::strcmp(protocol, "HTTPS") == 0 ? connections : 0;
  std::printf("| %-22s | %-5s | %9.1f | %8.1f | %10.0f | %9.1f | %11ld | %10ld |\n", who, protocol,
              median(medians), median(p99s), median(rates), median(cpus), connections, handshakes);
}

// The library at its defaults against nginx's token endpoint (plain http allowed for it).
TokenExchanger exchanger_at(const Nginx& nginx, bool tls, ClientOptions options = {}) {
  AppConfig app = testing::sample_app();
  app.endpoints.token = nginx.url(tls);
  options.allow_plain_http = !tls;
  options.ca_file = nginx.ca_file();
  return TokenExchanger::create(app, options).value();
}

// For callgrind: `requests` exchanges by one client and nothing else. The script runs it with
// two counts and divides the difference in instructions, which leaves set-up out.
int exchanges_only(const Nginx& nginx, const std::string& client, bool tls, int requests) {
  if (client == "raw") {
    RawCurl raw(nginx.url(tls), tls ? nginx.ca_file() : std::string(), true);
    for (int i = 0; i < requests; ++i) {
      if (!raw.exchange(code)) return 1;
    }
    return 0;
  }
  const TokenExchanger exchanger = exchanger_at(nginx, tls);
  for (int i = 0; i < requests; ++i) {
    if (!exchanger.exchange(code)) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // exchange_bench --only <ours|raw> <http|https> <requests>
  if (argc == 5 && std::strcmp(argv[1], "--only") == 0) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const Nginx nginx;
    return exchanges_only(nginx, argv[2], std::strcmp(argv[3], "https") == 0, std::atoi(argv[4]));
  }
  const int requests = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  const int per_thread = argc > 3 ? std::atoi(argv[3]) : 2000;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const Nginx nginx;

  std::printf("Server capacity: %s\n\n", nginx.capacity().c_str());
  std::printf("Sequential exchanges: %d per run, %d alternating rounds; median of the rounds.\n",
              requests, rounds);
  std::printf("| %-22s | %-5s | %9s | %8s | %10s | %9s | %11s | %10s |\n", "client", "proto",
              "median us", "p99 us", "exchanges/s", "CPU us/op", "connections", "handshakes");
  std::printf(
      "|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(24, '-').c_str(), std::string(7, '-').c_str(),
      std::string(11, '-').c_str(), std::string(10, '-').c_str(), std::string(12, '-').c_str(),
      std::string(11, '-').c_str(), std::string(13, '-').c_str(), std::string(12, '-').c_str());
  for (const bool tls : {false, true}) {
    const TokenExchanger exchanger = exchanger_at(nginx, tls);
    const std::string ca_file = tls ? nginx.ca_file() : std::string();
    RawCurl raw(nginx.url(tls), ca_file, false);
    RawCurl raw_with_agent(nginx.url(tls), ca_file, true);
    std::vector<Run> ours, theirs, theirs_with_agent;
    std::vector<double> time_ratios, cpu_ratios, agent_time_ratios, agent_cpu_ratios;
    const auto run_ours = [&] {
      return measure(nginx, requests, [&] { return exchanger.exchange(code).has_value(); });
    };
    const auto run_raw = [&] {
      return measure(nginx, requests, [&] { return raw.exchange(code); });
    };
    const auto run_agent = [&] {
      return measure(nginx, requests, [&] { return raw_with_agent.exchange(code); });
    };
    for (int round = 0; round < rounds; ++round) {
      // Rotate which goes first, so that none always runs on a warmer machine.
      for (int slot = 0; slot < 3; ++slot) {
        switch ((round + slot) % 3) {
          case 0:
            ours.push_back(run_ours());
            break;
          case 1:
            theirs.push_back(run_raw());
            break;
          default:
            theirs_with_agent.push_back(run_agent());
            break;
        }
      }
      time_ratios.push_back(median(ours.back().micros) / median(theirs.back().micros));
      cpu_ratios.push_back(ours.back().cpu_seconds / theirs.back().cpu_seconds);
      agent_time_ratios.push_back(median(ours.back().micros) /
                                  median(theirs_with_agent.back().micros));
      agent_cpu_ratios.push_back(ours.back().cpu_seconds / theirs_with_agent.back().cpu_seconds);
    }
    const char* protocol = tls ? "HTTPS" : "HTTP";
    print_row("(a) TokenExchanger", protocol, ours, requests);
    print_row("(b) raw libcurl + json", protocol, theirs, requests);
    print_row("(c) (b) + User-Agent", protocol, theirs_with_agent, requests);
    std::printf(
        "| a/b %-5s time %.3f, CPU %.3f | a/c time %.3f, CPU %.3f (medians of %d rounds) |\n",
        protocol, median(time_ratios), median(cpu_ratios), median(agent_time_ratios),
        median(agent_cpu_ratios), rounds);
  }

  std::printf(
      "\nThreads sharing one TokenExchanger (HTTP, %d exchanges per thread, pool = threads):\n",
      per_thread);
  std::printf(
      "| threads | exchanges/s | speed-up | connections "
      "|\n|---------|-------------|----------|-------------|\n");
  double one_thread = 0;
  for (const int threads : {1, 2, 4, 8}) {
    ClientOptions options;
    options.max_connections = static_cast<std::size_t>(threads);
    const TokenExchanger exchanger = exchanger_at(nginx, false, options);
    const long before = nginx.accepted();
    std::atomic<int> failures{0};
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i)
          failures += exchanger.exchange(code).has_value() ? 0 : 1;
      });
    }
    for (std::thread& worker : workers) worker.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double rate = threads * per_thread / seconds;
    if (threads == 1) one_thread = rate;
    std::printf("| %7d | %11.0f | %7.2fx | %11ld |%s\n", threads, rate, rate / one_thread,
                nginx.accepted() - before - 1, failures > 0 ? " (failures!)" : "");
  }
  return 0;
}
