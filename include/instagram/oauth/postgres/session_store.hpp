/// @file
/// Component InstagramOAuth::Postgres: sessions in PostgreSQL, shared by every instance.
#pragma once

#include <instagram/oauth/session_store.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth {

/// A SessionStore in the table instagram_oauth_sessions (created on first use with the token
/// store's schema): the SHA-256 of each id, the user id, and the end by the server's clock, so
/// that every instance agrees when a session ends. Expired rows are deleted as new sessions are
/// created. Thread-safe: a small pool of connections. Errors: as SessionStore says, with the
/// PostgreSQL store's (transport, timeout, system); no message contains the conninfo's password.
///
/// @code
/// auto sessions = PostgresSessionStore::open(conninfo).value();  // the tokens' database
/// @endcode
class PostgresSessionStore final : public SessionStore {
 public:
  /// Connects once to create or check the tables. Errors: invalid_argument (a conninfo libpq
  /// cannot read, no connections), transport, system (a schema of another version).
  static Result<std::shared_ptr<PostgresSessionStore>> open(const std::string& conninfo,
                                                            std::size_t connections = 2);
  ~PostgresSessionStore() override;
  PostgresSessionStore(const PostgresSessionStore&) = delete;
  PostgresSessionStore& operator=(const PostgresSessionStore&) = delete;

  Result<Session> create(std::string_view user_id, std::chrono::seconds lifetime) override;
  Result<std::optional<Session>> load(std::string_view id) override;
  Result<void> touch(std::string_view id, std::chrono::seconds lifetime) override;
  Result<bool> remove(std::string_view id) override;
  Result<std::size_t> remove_user(std::string_view user_id) override;

 private:
  struct Impl;  // libpq stays in the component's source
  explicit PostgresSessionStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth
