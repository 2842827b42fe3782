#include "connection_pool.hpp"

#include <string_view>
#include <utility>

namespace instagram::oauth::postgres {

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::make(std::string conninfo,
                                                             std::size_t size) {
  if (size == 0) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "the connection pool needs at least one");
  }
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    // libpq's message may quote the conninfo: only its kind is said.
    PQfreemem(parse_error);
    return OAuthException(ErrorCategory::invalid_argument,
                          "the PostgreSQL conninfo cannot be read (a \"postgresql://\" URI or "
                          "\"key=value\" pairs)");
  }
  std::string password;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
      password = option->val;
    }
  }
  PQconninfoFree(options);
  return std::unique_ptr<ConnectionPool>(
      new ConnectionPool(std::move(conninfo), std::move(password), size));
}

ConnectionPool::ConnectionPool(std::string conninfo, std::string password, std::size_t size)
    : conninfo_(std::move(conninfo)), password_(std::move(password)), size_(size) {}

ConnectionPool::~ConnectionPool() {
  for (PGconn* connection : idle_) PQfinish(connection);
}

std::string ConnectionPool::said(const char* message) const {
  std::string text = message != nullptr ? message : "";
  text = text.substr(0, text.find('\n'));
  if (!password_.empty()) {
    for (std::size_t at = text.find(password_); at != std::string::npos;
         at = text.find(password_, at)) {
      text.replace(at, password_.size(), "(redacted)");
    }
  }
  return text;
}

// A connection for one call, made when none is idle and the pool has room (or always, with
// `fresh`, in place of one that broke). `pooled` says whether it was used before.
Result<PGconn*> ConnectionPool::borrow(bool fresh, bool& pooled) {
  std::unique_lock<std::mutex> lock(mutex_);
  returned_.wait(lock, [&] { return (!fresh && !idle_.empty()) || made_ < size_; });
  pooled = !fresh && !idle_.empty();
  if (pooled) {
    PGconn* connection = idle_.back();
    idle_.pop_back();
    return connection;
  }
  ++made_;
  lock.unlock();
  PGconn* connection = PQconnectdb(conninfo_.c_str());
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) {
    OAuthException error(
        ErrorCategory::transport,
        "PostgreSQL: cannot connect: " +
            said(connection != nullptr ? PQerrorMessage(connection) : "out of memory"));
    PQfinish(connection);
    lock.lock();
    --made_;
    returned_.notify_one();
    return error;
  }
  // The server's notices ("relation … already exists, skipping") are not the caller's
  // business; libpq would print them to stderr.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  return connection;
}

// Back to the pool; a broken one is closed, and the next call makes another.
void ConnectionPool::give_back(PGconn* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE) {
    idle_.push_back(connection);
  } else {
    PQfinish(connection);
    --made_;
  }
  returned_.notify_one();
}

OAuthException ConnectionPool::error_of(PGconn* connection, const PGresult* result) const {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  std::string message = "PostgreSQL: " + said(result != nullptr ? PQresultErrorMessage(result)
                                                                : PQerrorMessage(connection));
  if (PQstatus(connection) != CONNECTION_OK || code.rfind("08", 0) == 0 ||
      code.rfind("57P0", 0) == 0 || code.empty()) {
    return OAuthException(ErrorCategory::transport, std::move(message));
  }
  if (code == "57014") return OAuthException(ErrorCategory::timeout, std::move(message));
  return OAuthException(ErrorCategory::system, std::move(message));
}

Result<PgResult> ConnectionPool::run(const char* sql, const std::vector<Parameter>& parameters,
                                     bool script) {
  bool stale = false;
  Result<PgResult> result = run_on(sql, parameters, script, false, stale);
  // A pooled connection found broken (the server restarted since it was last used) is
  // replaced and the statement sent once more. Each of the store's statements may run twice:
  // saves and removes are idempotent, a lease taken twice only delays its tokens until it
  // runs out, and a finished lease's fence is gone, so a second finish writes nothing.
  if (!result && stale) result = run_on(sql, parameters, script, true, stale);
  return result;
}

Result<PgResult> ConnectionPool::run_on(const char* sql, const std::vector<Parameter>& parameters,
                                        bool script, bool fresh, bool& stale) {
  bool pooled = false;
  Result<PGconn*> connection = borrow(fresh, pooled);
  if (!connection) return connection.error();
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Parameter& parameter : parameters) {
    values.push_back(parameter.value ? parameter.value->data() : nullptr);
    lengths.push_back(parameter.value ? static_cast<int>(parameter.value->size()) : 0);
    formats.push_back(parameter.binary ? 1 : 0);
  }
  PgResult result(script ? PQexec(*connection, sql)
                         : PQexecParams(*connection, sql, static_cast<int>(parameters.size()),
                                        nullptr, values.data(), lengths.data(), formats.data(), 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    stale = pooled && PQstatus(*connection) != CONNECTION_OK;
    OAuthException error = error_of(*connection, result.get());
    give_back(*connection);
    return error;
  }
  give_back(*connection);
  return result;
}

std::string bytea(const PGresult* result, int row, int column) {
  std::size_t size = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result, row, column)), &size);
  std::string out(reinterpret_cast<const char*>(bytes), bytes != nullptr ? size : 0);
  PQfreemem(bytes);
  return out;
}

}  // namespace instagram::oauth::postgres
