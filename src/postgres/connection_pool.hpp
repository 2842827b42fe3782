// libpq connections for the PostgreSQL component: a small pool, statements with parameters,
// and libpq's errors mapped to categories with the conninfo's password masked out.
#pragma once

#include <instagram/oauth/result.hpp>

#include <libpq-fe.h>

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace instagram::oauth::postgres {

struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A statement's parameter: text, or binary (sealed bytes); nullopt is SQL NULL.
struct Parameter {
  std::optional<std::string> value;
  bool binary = false;
};

// Thread-safe: each connection serves one call at a time; at most `size` are open.
class ConnectionPool {
 public:
  // Errors: invalid_argument (a conninfo libpq cannot read, a size of 0). Connects nothing yet.
  static Result<std::unique_ptr<ConnectionPool>> make(std::string conninfo, std::size_t size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs one statement (several, without parameters, as a script in one transaction) on a
  // pooled connection; the rows, or transport (cannot connect, the connection broke), timeout
  // (the statement was cancelled) or system (any other server error).
  Result<PgResult> run(const char* sql, const std::vector<Parameter>& parameters,
                       bool script = false);

 private:
  ConnectionPool(std::string conninfo, std::string password, std::size_t size);
  Result<PgResult> run_on(const char* sql, const std::vector<Parameter>& parameters, bool script,
                          bool fresh, bool& stale);
  Result<PGconn*> borrow(bool fresh, bool& pooled);
  void give_back(PGconn* connection);
  OAuthException error_of(PGconn* connection, const PGresult* result) const;
  std::string said(const char* message) const;

  std::string conninfo_;
  std::string password_;  // masked out of every message
  std::size_t size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<PGconn*> idle_;
  std::size_t made_ = 0;
};

// The bytes of a bytea column, from libpq's text form.
std::string bytea(const PGresult* result, int row, int column);

}  // namespace instagram::oauth::postgres
