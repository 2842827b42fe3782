// PostgresSessionStore: sessions by the SHA-256 of their id, ended by the server's clock.
#include <instagram/oauth/postgres/session_store.hpp>

#include <instagram/oauth/state.hpp>
#include <instagram/oauth/token_store.hpp>  // stored_user_id_problem

#include "connection_pool.hpp"
#include "schema.hpp"
#include "seal.hpp"

#include <cstdint>
#include <cstdlib>
#include <utility>

namespace instagram::oauth {
namespace {

using Clock = std::chrono::system_clock;
using postgres::PgResult;

OAuthException unusable(std::string message) {
  return OAuthException(ErrorCategory::invalid_argument, std::move(message));
}

postgres::Parameter id_hash(std::string_view id) {
  const auto digest = postgres::sha256(id);
  return {std::string(reinterpret_cast<const char*>(digest.data()), digest.size()), true};
}

// A bigint column's microseconds as a time.
Clock::time_point time_of(const char* text) {
  return postgres::from_microseconds(std::strtoll(text, nullptr, 10));
}

}  // namespace

struct PostgresSessionStore::Impl {
  std::unique_ptr<postgres::ConnectionPool> pool;
};

PostgresSessionStore::PostgresSessionStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresSessionStore::~PostgresSessionStore() = default;

Result<std::shared_ptr<PostgresSessionStore>> PostgresSessionStore::open(
    const std::string& conninfo, std::size_t connections) {
  Result<std::unique_ptr<postgres::ConnectionPool>> pool =
      postgres::ConnectionPool::make(conninfo, connections);
  if (!pool) return pool.error();
  if (Result<void> prepared = postgres::prepare_schema(**pool); !prepared) {
    return prepared.error();
  }
  auto impl = std::make_unique<Impl>();
  impl->pool = std::move(*pool);
  return std::shared_ptr<PostgresSessionStore>(new PostgresSessionStore(std::move(impl)));
}

Result<Session> PostgresSessionStore::create(std::string_view user_id,
                                             std::chrono::seconds lifetime) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  if (lifetime.count() <= 0) return unusable("a session's lifetime must be positive");
  Result<std::string> id = try_generate_state();  // 256 bits from the CSPRNG, base64url
  if (!id) return id.error();
  // Up to 100 expired sessions go with each new one: the table does not grow without bound.
  Result<PgResult> created = impl_->pool->run(
      "WITH expired AS (DELETE FROM instagram_oauth_sessions WHERE id_sha256 IN (SELECT id_sha256 "
      "FROM instagram_oauth_sessions WHERE expires_at <= " INSTAGRAM_OAUTH_NOW_US
      " LIMIT 100)) "
      "INSERT INTO instagram_oauth_sessions (id_sha256, user_id, expires_at) "
      "VALUES ($1, $2, " INSTAGRAM_OAUTH_NOW_US " + $3::bigint) RETURNING expires_at",
      {id_hash(*id), {std::string(user_id)}, {postgres::microseconds_text(lifetime)}});
  if (!created) return created.error();
  return Session{std::move(*id), std::string(user_id), time_of(PQgetvalue(created->get(), 0, 0))};
}

Result<std::optional<Session>> PostgresSessionStore::load(std::string_view id) {
  if (id.empty()) return unusable("the session id is empty");
  Result<PgResult> found = impl_->pool->run(
      "SELECT user_id, expires_at FROM instagram_oauth_sessions WHERE id_sha256 = $1 "
      "AND expires_at > " INSTAGRAM_OAUTH_NOW_US,
      {id_hash(id)});
  if (!found) return found.error();
  if (PQntuples(found->get()) == 0) return std::optional<Session>();
  return std::optional<Session>(Session{std::string(id), PQgetvalue(found->get(), 0, 0),
                                        time_of(PQgetvalue(found->get(), 0, 1))});
}

Result<void> PostgresSessionStore::touch(std::string_view id, std::chrono::seconds lifetime) {
  if (id.empty()) return unusable("the session id is empty");
  if (lifetime.count() <= 0) return unusable("a session's lifetime must be positive");
  Result<PgResult> touched = impl_->pool->run(
      "UPDATE instagram_oauth_sessions SET expires_at = " INSTAGRAM_OAUTH_NOW_US
      " + $2::bigint WHERE id_sha256 = $1 AND expires_at > " INSTAGRAM_OAUTH_NOW_US,
      {id_hash(id), {postgres::microseconds_text(lifetime)}});
  if (!touched) return touched.error();
  return {};
}

Result<bool> PostgresSessionStore::remove(std::string_view id) {
  if (id.empty()) return unusable("the session id is empty");
  Result<PgResult> removed = impl_->pool->run(
      "DELETE FROM instagram_oauth_sessions WHERE id_sha256 = $1 RETURNING 1", {id_hash(id)});
  if (!removed) return removed.error();
  return PQntuples(removed->get()) > 0;
}

Result<std::size_t> PostgresSessionStore::remove_user(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return unusable(std::move(problem));
  }
  Result<PgResult> removed =
      impl_->pool->run("DELETE FROM instagram_oauth_sessions WHERE user_id = $1 RETURNING 1",
                       {{std::string(user_id)}});
  if (!removed) return removed.error();
  return static_cast<std::size_t>(PQntuples(removed->get()));
}

}  // namespace instagram::oauth
