/// @file
/// Component InstagramOAuth::Postgres: users' tokens in PostgreSQL, sealed, leased with
/// SELECT … FOR UPDATE SKIP LOCKED and fenced, so that any number of instances refresh each
/// token once and never write over a newer one.
#pragma once

#include <instagram/oauth/token_store.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// What PostgresTokenStore::reseal() did.
struct ResealReport {
  std::size_t resealed = 0;                 ///< rows moved to the first key
  std::vector<UnreadableToken> unreadable;  ///< rows no key opens, set aside as lease_due does
};

/// What the table holds, by the server's clock, from the columns kept in clear (nothing is
/// unsealed, nothing leased): for a dry run, and for an operator's look.
struct TokenStoreOverview {
  std::size_t tokens = 0;                     ///< rows
  std::size_t due = 0;                        ///< a pass would lease these now
  std::size_t leased = 0;                     ///< held by a live lease
  std::size_t waiting_after_failure = 0;      ///< due, but their next attempt is ahead
  std::size_t reauthorization_needed = 0;     ///< dead: only a new login helps
  std::size_t unreadable = 0;                 ///< set aside: no key opened them
  std::size_t failing = 0;                    ///< their last refresh failed (kept with back-off)
  std::size_t expiring_within_7_days = 0;     ///< not expired, but within 7 days of it
  std::vector<std::string> due_users;         ///< the first `list` due, soonest expiry first
  std::vector<std::string> unreadable_users;  ///< the first `list` unreadable
};

/// Which keys the rows are sealed with, and which rows the keys given do not open: for an
/// operator's check before a rotation's old key is dropped.
struct KeyCheck {
  std::size_t rows = 0;                            ///< in the table
  std::map<std::string, std::size_t> rows_by_key;  ///< key id (as key_ids() names them) → rows
  std::size_t unopened = 0;                        ///< rows no key given opens
  std::vector<UnreadableToken> first_unopened;     ///< the first `list` of them, named
};

/// A TokenStore in one table, instagram_oauth_tokens (created on first use, its schema version
/// checked in instagram_oauth_schema, fences from the sequence instagram_oauth_fence). Each
/// token is sealed with AES-256-GCM (libcrypto): a random nonce per token, the user id as
/// associated data, the sealing key's id stored beside it; keys[0] seals, every key opens. The
/// times that decide what is due (received_at, expires_at, the next attempt after a failure, in
/// microseconds since 1970), the user id, the lease and its fence are stored in clear; the token,
/// its permissions and the last failure's message are not. The store's clock is the server's
/// (`now()`), so instances whose clocks differ still agree on what is due and when a lease ends.
///
/// Keys: each is a secret of at least 32 bytes, used as the text given (32 random bytes in
/// base64 from `openssl rand -base64 32` are 44 characters, and those 44 characters are the
/// key). Rotation: put the new key first and keep every old one until reseal() reports that no
/// row uses it; a row whose key is gone is unreadable (lease_due names it and passes it over).
///
/// Privileges: the first open() of a database creates the tables, the sequence and an index
/// (CREATE on the schema); after that the role needs SELECT, INSERT, UPDATE, DELETE on
/// instagram_oauth_tokens, SELECT on instagram_oauth_schema and USAGE on instagram_oauth_fence.
///
/// Thread-safe: a small pool of connections, each used by one call at a time. A connection
/// that broke (the server restarted) fails the call under way (transport) and is made anew
/// for the next call. Errors of every call: transport (cannot connect, the connection
/// broke), timeout (the server cancelled the statement), system (any other server error),
/// invalid_signature (load() or lease_user() of a row no key opens, or altered),
/// invalid_argument (as TokenStore says). No message contains the conninfo's password.
///
/// @code
/// // conninfo from $INSTAGRAM_DATABASE_URL ("postgresql://app@db/app"); keys on every instance
/// std::shared_ptr<PostgresTokenStore> store = PostgresTokenStore::open(conninfo, {key}).value();
/// @endcode
class PostgresTokenStore final : public TokenStore {
 public:
  /// conninfo: libpq's ("postgresql://user@host/db" or "host=… dbname=…"); keys: at least one,
  /// each at least 32 bytes. Connects once to create, upgrade (schema 1) or check the table.
  /// Errors: invalid_argument (no key, a short key, a conninfo libpq cannot read, no
  /// connections), transport, system (a schema of another version).
  static Result<std::shared_ptr<PostgresTokenStore>> open(std::string conninfo,
                                                          std::vector<std::string> keys,
                                                          std::size_t connections = 4);

  ~PostgresTokenStore() override;
  PostgresTokenStore(const PostgresTokenStore&) = delete;
  PostgresTokenStore& operator=(const PostgresTokenStore&) = delete;

  /// The server's clock; when the server cannot be asked, this process's clock moved by the
  /// difference last measured (the next call that needs the server fails anyway).
  std::chrono::system_clock::time_point now() override;
  Result<void> save(const StoredToken& token) override;
  Result<std::optional<StoredToken>> load(std::string_view user_id) override;
  Result<bool> remove(std::string_view user_id) override;
  Result<LeaseBatch> lease_due(const RefreshPolicy& policy, std::size_t limit,
                               std::chrono::seconds lease) override;
  Result<std::optional<Lease>> lease_user(std::string_view user_id,
                                          std::chrono::seconds lease) override;
  Result<bool> finish_lease(const Lease& lease, const StoredToken& result) override;
  Result<std::vector<bool>> finish_leases(const std::vector<FinishedLease>& finished) override;

  /// Counts what the table holds, by the server's clock, and names up to `list` due and
  /// unreadable users. Errors: as every call. Thread-safe.
  Result<TokenStoreOverview> overview(const RefreshPolicy& policy, std::size_t list = 100);

  /// Opens every row with the keys given (nothing written): rows per key id, and the rows
  /// none opens. Reads the whole table. Errors: as every call. Thread-safe.
  Result<KeyCheck> check_keys(std::size_t list = 100);
  /// The ids of the keys given, the sealing one first, as rows name them (not secret).
  std::vector<std::string> key_ids() const;

  /// Seals every row that another key sealed with the first key again, and looks again at the
  /// rows found unreadable (those that open now are due again). A row saved or leased
  /// meanwhile is left to that writer, which seals with the first key anyway. Errors: as every
  /// call. Thread-safe, and safe beside running passes.
  Result<ResealReport> reseal();

 private:
  struct Impl;  // libpq and libcrypto stay in the component's source
  explicit PostgresTokenStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth
