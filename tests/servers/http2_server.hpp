// The token endpoint over HTTP/2 (TLS, ALPN h2) for the failures nginx cannot play: a
// server that reads a request whole and dies without answering, and one that closes each
// connection once it has answered. Just enough of RFC 9113 for libcurl: frames are read
// and written by hand, the answer's headers are a fixed HPACK block, request headers are
// not decoded. It answers the code POST with a short-lived token and the graph GETs with
// a long-lived one, counts connections and requests, and how often a code arrived in a
// POST body. One thread per connection: a handful at a time.
#pragma once

#include <instagram/oauth/config.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace instagram::oauth::testing {

struct Http2ServerOptions {
  // The Nth request (1-based; 0: none) is read whole and its connection then closed
  // without an answer: a server that processed the request and died.
  std::size_t die_after_reading = 0;
  // Each connection ends (GOAWAY, then closed) right after its first answer, as an HTTP/2
  // server does with a connection it finds idle.
  bool close_after_answer = false;
};

class Http2Server {
 public:
  // Throws std::runtime_error when it cannot listen or OpenSSL fails.
  explicit Http2Server(Http2ServerOptions options = {});
  ~Http2Server();
  Http2Server(const Http2Server&) = delete;
  Http2Server& operator=(const Http2Server&) = delete;

  Endpoints endpoints() const;         // token and graph on this server
  const std::string& ca_file() const;  // the CA that signed its certificate

  std::size_t connections() const;  // accepted so far
  std::size_t closed() const;       // closed by the server so far
  std::size_t requests() const;     // read whole so far
  // How many POST bodies carried `value`.
  std::size_t times_seen(const std::string& value) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth::testing
