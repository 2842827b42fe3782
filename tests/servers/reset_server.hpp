// A test-only server: never installed.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace instagram::oauth::testing {

// A TCP listener that reads a request and resets the connection (SO_LINGER 0): a
// middlebox dropping the connection. It counts connections and keeps the first request
// line, so that it also serves as a proxy that must (or must not) be used.
class ResetServer {
 public:
  ResetServer();
  ~ResetServer();
  ResetServer(const ResetServer&) = delete;
  ResetServer& operator=(const ResetServer&) = delete;
  std::string base_url() const;
  std::size_t connections() const;
  std::string first_line() const;  // of the first request received, without CRLF

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth::testing
