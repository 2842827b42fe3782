/// @file
/// Many users' long-lived tokens, kept by any number of instances: a store with leases. Storage
/// only: it sends nothing (a pass over it: token_refresher.hpp).
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>

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

}  // namespace instagram::oauth
