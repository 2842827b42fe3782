// The component's schema (version 2): the tokens, the sessions, the fence sequence and the
// version row; a database of schema 1 is upgraded in place.
#pragma once

#include "connection_pool.hpp"

#include <chrono>
#include <cstdint>
#include <string>

// The server's clock in microseconds since 1970, inside one statement: the stores' one clock.
#define INSTAGRAM_OAUTH_NOW_US "(extract(epoch FROM now()) * 1000000)::bigint"

namespace instagram::oauth::postgres {

// Times are stored as microseconds since 1970 (bigint), durations as microseconds.
inline std::int64_t microseconds(std::chrono::system_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point from_microseconds(std::int64_t value) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(value)));
}
template <class Duration>
std::string microseconds_text(Duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(duration).count());
}

// Creates what is missing, upgrades schema 1, and checks the version. Errors: the pool's, and
// system (a schema of another version).
Result<void> prepare_schema(ConnectionPool& pool);

}  // namespace instagram::oauth::postgres
