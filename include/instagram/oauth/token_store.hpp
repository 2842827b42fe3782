/// @file
/// Many users' long-lived tokens, kept alive by any number of instances: a store with leases,
/// and one refresh pass that refreshes every due token exactly once.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/lifecycle.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// One user's long-lived token as a TokenStore keeps it.
struct StoredToken {
  std::string user_id;  ///< the key: exact digits (AccessToken::user_id of the exchange)
  AccessToken token;    ///< with received_at and expires_at, so that the store knows when it is due
  std::optional<std::string> reauthorization_needed;  ///< why only a new login helps, once known
};

/// Thread-safe in every implementation. Errors: invalid_argument (a user id that is not
/// digits, an empty token, a limit or lease of 0), and what the implementation's storage
/// reports (the PostgreSQL store: transport, timeout, system, invalid_signature).
///
/// @code
/// store->save({user_id, long_lived, std::nullopt}).value();         // after the exchanges
/// std::optional<StoredToken> kept = store->load(user_id).value();    // when the user is back
/// store->remove(signed_request.user_id).value();                     // Meta's data deletion
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenStore {
 public:
  virtual ~TokenStore() = default;
  virtual Result<void> save(const StoredToken& token) = 0;  ///< insert or replace; ends a lease
  /// The user's token, or nothing when none is stored.
  virtual Result<std::optional<StoredToken>> load(std::string_view user_id) = 0;
  virtual Result<bool> remove(std::string_view user_id) = 0;  ///< data deletion; false: none
  /// Leases up to `limit` tokens that refresh_due() says are due at `now`, that need no new
  /// login and that no live lease holds; a lease ends at `now + lease` or when the token is
  /// saved. Two callers never lease the same token at once (across processes too, for a
  /// shared store).
  virtual Result<std::vector<StoredToken>> lease_due(std::chrono::system_clock::time_point now,
                                                     const RefreshPolicy& policy, std::size_t limit,
                                                     std::chrono::seconds lease) = 0;
};

/// Why `token` cannot be stored, or empty: the checks every store applies before writing.
/// Thread-safe (a pure function).
INSTAGRAM_OAUTH_EXPORT std::string stored_token_problem(const StoredToken& token);

/// Why `user_id` cannot be a store's key (it must be decimal digits), or empty. Thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string stored_user_id_problem(std::string_view user_id);

/// Tokens in this process's memory: for tests and for a service with one instance.
///
/// @code
/// auto store = std::make_shared<MemoryTokenStore>();  // a fleet: PostgresTokenStore
/// TokenRefresher refresher(TokenExchanger::create_shared(app).value(), store);
/// @endcode
class INSTAGRAM_OAUTH_EXPORT MemoryTokenStore final : public TokenStore {
 public:
  Result<void> save(const StoredToken& token) override;
  Result<std::optional<StoredToken>> load(std::string_view user_id) override;
  Result<bool> remove(std::string_view user_id) override;
  Result<std::vector<StoredToken>> lease_due(std::chrono::system_clock::time_point now,
                                             const RefreshPolicy& policy, std::size_t limit,
                                             std::chrono::seconds lease) override;

 private:
  struct Entry {
    StoredToken stored;
    std::optional<std::chrono::system_clock::time_point> leased_until;
  };
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> tokens_;
};

/// What one TokenRefresher pass did.
struct RefreshReport {
  std::size_t refreshed = 0;               ///< refreshed and saved
  std::size_t reauthorization_needed = 0;  ///< dead: saved so, never asked about again
  std::size_t failed = 0;                  ///< not refreshed this time; a later pass retries
  /// The store's error when it could not lease any more after the pass had begun: the pass
  /// stopped there, and what was left is for a later pass.
  std::optional<OAuthException> stopped_by;
};

/// Refreshes every due token of a store, exactly once each however many instances run a
/// pass at the same time (the store's leases decide who refreshes which).
///
/// @code
/// TokenRefresher refresher(TokenExchanger::create_shared(app).value(), store);
/// RefreshReport pass = refresher.run_once(std::chrono::system_clock::now()).value();
/// if (pass.failed > 0) alert(pass.failed);  // a later pass retries them
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenRefresher {
 public:
  /// `lease`: how long a token is this pass's while it is refreshed; a pass that dies leaves
  /// its tokens to the next pass after it. Longer than ClientOptions::total_timeout.
  TokenRefresher(std::shared_ptr<const TokenExchanger> exchanger, std::shared_ptr<TokenStore> store,
                 RefreshPolicy policy = {}, std::size_t max_in_flight = 200,
                 std::chrono::seconds lease = std::chrono::minutes(5));

  /// One pass: leases what is due, refreshes it asynchronously (at most max_in_flight at
  /// once), saves each result (a dead token with reauthorization_needed; a refreshed one
  /// dated `now`), until nothing due is left. A transient failure is not saved: its lease
  /// runs out and a later pass tries again. Errors: invalid_argument (no exchanger or store,
  /// a max_in_flight of 0), and the store's errors when it cannot lease at all; a token whose
  /// save fails counts as failed, and a lease that fails later ends the pass (stopped_by).
  /// What a store or `progress` throws stops the leasing; the refreshes in flight are saved,
  /// and then it is thrown. Thread-safe; one pass at a time per refresher is enough.
  Result<RefreshReport> run_once(std::chrono::system_clock::time_point now) const;
  /// As run_once(now), telling `progress` the counts so far after each group of answers is
  /// saved (on this thread; the last call has the pass's counts), for a progress line.
  Result<RefreshReport> run_once(std::chrono::system_clock::time_point now,
                                 const std::function<void(const RefreshReport&)>& progress) const;

 private:
  std::shared_ptr<const TokenExchanger> exchanger_;
  std::shared_ptr<TokenStore> store_;
  RefreshPolicy policy_;
  std::size_t max_in_flight_;
  std::chrono::seconds lease_;
};

}  // namespace instagram::oauth
