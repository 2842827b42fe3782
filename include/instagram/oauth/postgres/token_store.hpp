/// @file
/// Component InstagramOAuth::Postgres: users' tokens in PostgreSQL, sealed, leased with
/// SELECT … FOR UPDATE SKIP LOCKED so that any number of instances refresh each token once.
#pragma once

#include <instagram/oauth/token_store.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// A TokenStore in one table, instagram_oauth_tokens (created on first use, its schema
/// version checked in instagram_oauth_schema). Each token is sealed with AES-256-GCM
/// (libcrypto): a random nonce per token, the user id as associated data, the sealing key's
/// id stored beside it; keys[0] seals, every key opens (rotation: put the new key first,
/// keep the old ones until every row was saved again). The times that decide what is due,
/// the user id and the lease are stored in clear; the token and everything else is not.
///
/// Thread-safe: a small pool of connections, each used by one call at a time. A connection
/// that broke (the server restarted) fails the call under way (transport) and is made anew
/// for the next call. Errors of every call: transport (cannot connect, the connection
/// broke), timeout (the server cancelled the statement), system (any other server error),
/// invalid_signature (a stored token that no key opens, or a row altered), invalid_argument
/// (as TokenStore says). No message contains the conninfo's password.
///
/// @code
/// // conninfo: "postgresql://app@db/app"; key: 32 random bytes (base64), on every instance
/// std::shared_ptr<PostgresTokenStore> store = PostgresTokenStore::open(conninfo, {key}).value();
/// @endcode
class PostgresTokenStore final : public TokenStore {
 public:
  /// conninfo: libpq's ("postgresql://user@host/db" or "host=… dbname=…"); keys: at least one,
  /// each at least 32 bytes (random, e.g. 32 bytes from the CSPRNG, base64). Connects once
  /// to create or check the table. Errors: invalid_argument (no key, a short key, a conninfo
  /// libpq cannot read), transport, system (a schema of another version).
  static Result<std::shared_ptr<PostgresTokenStore>> open(std::string conninfo,
                                                          std::vector<std::string> keys,
                                                          std::size_t connections = 4);

  ~PostgresTokenStore() override;
  PostgresTokenStore(const PostgresTokenStore&) = delete;
  PostgresTokenStore& operator=(const PostgresTokenStore&) = delete;

  Result<void> save(const StoredToken& token) override;
  Result<std::optional<StoredToken>> load(std::string_view user_id) override;
  Result<bool> remove(std::string_view user_id) override;
  Result<std::vector<StoredToken>> lease_due(std::chrono::system_clock::time_point now,
                                             const RefreshPolicy& policy, std::size_t limit,
                                             std::chrono::seconds lease) override;

  struct Impl;  ///< libpq and libcrypto stay in the component's source

 private:
  explicit PostgresTokenStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth
