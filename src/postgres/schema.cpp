// The PostgreSQL component's tables, created, upgraded and checked in one place for every
// store that uses them.
#include "schema.hpp"

#include <cstdlib>
#include <string>

namespace instagram::oauth::postgres {
namespace {

constexpr int schema_version = 2;

// A new database gets schema 2; one of schema 1 (the first release) keeps its version row until
// upgrade_to_2 has run.
constexpr const char* create_schema = R"sql(
SELECT pg_advisory_xact_lock(7274277461);
CREATE TABLE IF NOT EXISTS instagram_oauth_schema (version integer NOT NULL);
CREATE SEQUENCE IF NOT EXISTS instagram_oauth_fence;
CREATE TABLE IF NOT EXISTS instagram_oauth_tokens (
  user_id text PRIMARY KEY,
  key_id text NOT NULL,
  sealed bytea NOT NULL,
  received_at bigint,
  expires_at bigint,
  reauthorization_needed boolean NOT NULL DEFAULT false,
  leased_until bigint,
  fence bigint NOT NULL DEFAULT 0,
  next_attempt bigint,
  unreadable boolean NOT NULL DEFAULT false);
INSERT INTO instagram_oauth_schema (version)
  SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM instagram_oauth_schema);
)sql";

// Schema 1 to 2: fences, a failure's next attempt, unreadable rows (the new index and the
// sessions come with create_beside_tokens).
constexpr const char* upgrade_to_2 = R"sql(
SELECT pg_advisory_xact_lock(7274277461);
ALTER TABLE instagram_oauth_tokens
  ADD COLUMN IF NOT EXISTS fence bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS next_attempt bigint,
  ADD COLUMN IF NOT EXISTS unreadable boolean NOT NULL DEFAULT false;
DROP INDEX IF EXISTS instagram_oauth_tokens_due;
UPDATE instagram_oauth_schema SET version = 2 WHERE version = 1;
)sql";

// What schema 2 has beside the tokens' table: the index lease_due asks (the due rows by expiry,
// without the dead and the unreadable), and the sessions.
constexpr const char* create_beside_tokens = R"sql(
SELECT pg_advisory_xact_lock(7274277461);
CREATE INDEX IF NOT EXISTS instagram_oauth_tokens_due_2 ON instagram_oauth_tokens (expires_at)
  WHERE NOT reauthorization_needed AND NOT unreadable;
CREATE TABLE IF NOT EXISTS instagram_oauth_sessions (
  id_sha256 bytea PRIMARY KEY,
  user_id text NOT NULL,
  expires_at bigint NOT NULL);
CREATE INDEX IF NOT EXISTS instagram_oauth_sessions_user
  ON instagram_oauth_sessions (user_id);
)sql";

}  // namespace

Result<void> prepare_schema(ConnectionPool& pool) {
  Result<PgResult> version = pool.run(create_schema, {}, true);
  if (version) version = pool.run("SELECT version FROM instagram_oauth_schema", {});
  if (version && PQntuples(version->get()) == 1 &&
      std::strtol(PQgetvalue(version->get(), 0, 0), nullptr, 10) == 1) {
    version = pool.run(upgrade_to_2, {}, true);
    if (version) version = pool.run("SELECT version FROM instagram_oauth_schema", {});
  }
  if (!version) return version.error();
  const long found = PQntuples(version->get()) == 1
                         ? std::strtol(PQgetvalue(version->get(), 0, 0), nullptr, 10)
                         : 0;
  if (found != schema_version) {
    return OAuthException(ErrorCategory::system,
                          "the table instagram_oauth_tokens has schema version " +
                              std::to_string(found) + "; this library knows " +
                              std::to_string(schema_version));
  }
  Result<PgResult> created = pool.run(create_beside_tokens, {}, true);
  if (!created) return created.error();
  return {};
}

}  // namespace instagram::oauth::postgres
