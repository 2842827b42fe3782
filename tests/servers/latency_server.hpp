// A token endpoint look-alike for load and failure tests: plain HTTP/1.1 on 127.0.0.1,
// served from one thread's event loop (poll), so that it holds thousands of delayed
// requests at once. It answers the code POST and the two graph GETs with tokens derived
// from what it was sent ("IGQVJ" + code, "IGQWR" + token), counts connections, requests,
// the most requests in flight at one moment and how often each code or token arrived, and
// can die the way real servers do. HTTPS and HTTP/2: nginx.hpp (load), http2_server.hpp (dying).
#pragma once

#include <instagram/oauth/config.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace instagram::oauth::testing {

struct LatencyServerOptions {
  std::chrono::milliseconds latency{0};  // every answer waits this long
  std::string user_id = "17841405793187218";
  // Idle keep-alive connections are closed after this long (0: kept open).
  std::chrono::milliseconds idle_timeout{0};
  // The Nth request (1-based; 0: none) is read whole and its connection then closed without
  // an answer: a server that processed the request and died.
  std::size_t die_after_reading = 0;
};

class LatencyServer {
 public:
  explicit LatencyServer(LatencyServerOptions options = {});
  ~LatencyServer();
  LatencyServer(const LatencyServer&) = delete;
  LatencyServer& operator=(const LatencyServer&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:PORT"
  Endpoints endpoints() const;   // token and graph on this server
  // An app on this server: any code is accepted, the token is "IGQVJ" + code.
  AppConfig app_config() const;

  std::size_t connections() const;     // accepted so far
  std::size_t requests() const;        // read whole so far
  std::size_t peak_in_flight() const;  // most requests read and not yet answered at once
  // How many requests carried `value` as their code or access token.
  std::size_t times_seen(const std::string& value) const;

  // Closes every connection at once, answering nothing more; idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth::testing
