// The users of examples/web_login in PostgreSQL (libpq), shared by every instance.
#include "web_login_users.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

using namespace instagram::oauth;

namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Answer = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresUsers final : public WebUsers {
 public:
  explicit PostgresUsers(PGconn* connection) : connection_(connection) {}
  ~PostgresUsers() override { PQfinish(connection_); }
  PostgresUsers(const PostgresUsers&) = delete;
  PostgresUsers& operator=(const PostgresUsers&) = delete;

  Result<void> remember(const std::string& user_id, const std::string& username) override {
    return run("INSERT INTO web_login_users (user_id, username) VALUES ($1, $2) "
               "ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username",
               {user_id, username})
        .transform([](const Answer&) {});
  }
  Result<std::optional<std::string>> username(const std::string& user_id) override {
    return run("SELECT username FROM web_login_users WHERE user_id = $1", {user_id})
        .transform([](const Answer& answer) {
          if (PQntuples(answer.get()) == 0) return std::optional<std::string>();
          return std::optional<std::string>(PQgetvalue(answer.get(), 0, 0));
        });
  }
  Result<void> forget(const std::string& user_id) override {
    return run("DELETE FROM web_login_users WHERE user_id = $1", {user_id})
        .transform([](const Answer&) {});
  }
  Result<std::string> record_deletion(const std::string& user_id, std::int64_t issued_at,
                                      const std::string& code) override {
    // One statement: of two instances that receive the same request at once, one inserts and
    // both answer its code.
    return run("WITH inserted AS (INSERT INTO web_login_deletions (code, user_id, issued_at) "
               "VALUES ($1, $2, $3::bigint) ON CONFLICT (user_id, issued_at) WHERE user_id <> '' "
               "DO NOTHING "
               "RETURNING code) SELECT code FROM inserted UNION ALL "
               "SELECT code FROM web_login_deletions WHERE user_id = $2 AND issued_at = $3::bigint",
               {code, user_id, std::to_string(issued_at)})
        .transform([&](const Answer& answer) {
          return PQntuples(answer.get()) > 0 ? std::string(PQgetvalue(answer.get(), 0, 0)) : code;
        });
  }
  Result<std::optional<std::chrono::system_clock::time_point>> deletion(
      const std::string& code) override {
    using When = std::optional<std::chrono::system_clock::time_point>;
    return run("SELECT extract(epoch FROM deleted_at)::bigint FROM web_login_deletions "
               "WHERE code = $1",
               {code})
        .transform([](const Answer& answer) {
          if (PQntuples(answer.get()) == 0) return When();
          return When(std::chrono::system_clock::time_point(
              std::chrono::seconds(std::stoll(PQgetvalue(answer.get(), 0, 0)))));
        });
  }

 private:
  // One statement on the one connection; a connection the server broke (a restart) is made
  // anew and the statement tried once more.
  Result<Answer> run(const char* statement, const std::vector<std::string>& parameters) {
    std::vector<const char*> values;
    for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
    std::lock_guard<std::mutex> lock(mutex_);
    for (int attempt = 0;; ++attempt) {
      Answer answer(PQexecParams(connection_, statement, static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0));
      const ExecStatusType status = PQresultStatus(answer.get());
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return answer;
      if (PQstatus(connection_) == CONNECTION_OK) {
        return OAuthException(ErrorCategory::system,
                              std::string("PostgreSQL: ") + PQresultErrorMessage(answer.get()));
      }
      if (attempt == 1) {
        return OAuthException(ErrorCategory::transport,
                              std::string("PostgreSQL: ") + PQerrorMessage(connection_));
      }
      PQreset(connection_);
    }
  }

  std::mutex mutex_;
  PGconn* connection_;
};

}  // namespace

Result<std::unique_ptr<WebUsers>> postgres_users(const std::string& conninfo) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    // PQerrorMessage names the host and the reason, never the password.
    OAuthException error(ErrorCategory::transport,
                         std::string("PostgreSQL: ") + PQerrorMessage(connection));
    PQfinish(connection);
    return error;
  }
  // Instances that start together create the tables one after the other (the lock), else
  // two CREATE TABLE IF NOT EXISTS may collide.
  const Answer created(PQexec(connection, R"(
BEGIN;
SELECT pg_advisory_xact_lock(7274277462);
CREATE TABLE IF NOT EXISTS web_login_users (user_id text PRIMARY KEY, username text NOT NULL);
CREATE TABLE IF NOT EXISTS web_login_deletions (code text PRIMARY KEY,
  deleted_at timestamptz NOT NULL DEFAULT now());
ALTER TABLE web_login_deletions ADD COLUMN IF NOT EXISTS user_id text NOT NULL DEFAULT '';
ALTER TABLE web_login_deletions ADD COLUMN IF NOT EXISTS issued_at bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX IF NOT EXISTS web_login_deletions_request
  ON web_login_deletions (user_id, issued_at) WHERE user_id <> '';
COMMIT;)"));
  if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
    OAuthException error(ErrorCategory::system,
                         std::string("PostgreSQL: ") + PQresultErrorMessage(created.get()));
    PQfinish(connection);
    return error;
  }
  return std::unique_ptr<WebUsers>(std::make_unique<PostgresUsers>(connection));
}
