/// @file
/// Many users' long-lived tokens, kept by any number of instances: a store with fenced leases
/// and its own clock. Storage only: it sends nothing (a pass over it: token_refresher.hpp).
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// Kept with a token after a refresh failed for a passing reason (an outage, a timeout): the
/// store leases it again only from next_attempt on.
struct RefreshFailure {
  unsigned attempts = 0;                               ///< consecutive failures
  ErrorCategory category{};                            ///< the last failure's
  std::string message;                                 ///< masked, as what() shows it
  std::chrono::system_clock::time_point next_attempt;  ///< not leased before this
};

/// One user's long-lived token as a TokenStore keeps it.
struct StoredToken {
  std::string user_id;  ///< the key: exact digits (AccessToken::user_id of the code exchange)
  AccessToken token;    ///< with received_at and expires_at, so that the store knows when it is due
  std::optional<std::string> reauthorization_needed;  ///< why only a new login helps, once known
  std::optional<RefreshFailure> failure;              ///< the last refreshes failed, once known
};

/// A token leased for a refresh. `fence` changes whenever its row is saved, removed or leased
/// again: finish_lease writes only while it still holds, so a holder whose lease ran out, or
/// whose token was replaced or deleted meanwhile, writes nothing.
struct Lease {
  StoredToken stored;       ///< the token as it was when leased
  std::uint64_t fence = 0;  ///< what finish_lease() checks
};

/// A row no configured key opens (a key dropped too early), or one altered: it leaves the due
/// set until someone acts (saves the user's token again, removes it, or gives back the key).
struct UnreadableToken {
  std::string user_id;   ///< the row's key, in clear
  OAuthException error;  ///< invalid_signature, saying why
};

/// A lease and what its refresh made of the token, for finish_leases().
struct FinishedLease {
  Lease lease;         ///< as lease_due() or lease_user() gave it
  StoredToken result;  ///< the same user's token as it is to be stored
};

/// What one lease_due() took, and what it could not read.
struct LeaseBatch {
  std::vector<Lease> leased;                ///< this caller's until each lease ends
  std::vector<UnreadableToken> unreadable;  ///< set aside, never offered again
};

/// Thread-safe in every implementation. Errors: invalid_argument (a user id that is not
/// digits, an empty token, a limit or lease of 0), and what the implementation's storage
/// reports (the PostgreSQL store: transport, timeout, system, invalid_signature).
///
/// @code
/// store->save({user_id, long_lived, {}, {}}).value();  // after the exchanges
/// std::optional<StoredToken> kept = store->load(user_id).value();  // the user is back
/// store->remove(signed_request.user_id).value();  // Meta's data deletion
/// @endcode
class INSTAGRAM_OAUTH_EXPORT TokenStore {
 public:
  virtual ~TokenStore() = default;
  /// The store's clock, by which leases end and tokens are due (and refreshed tokens dated):
  /// one clock for every instance however far their own clocks drift apart.
  virtual std::chrono::system_clock::time_point now() = 0;
  /// Insert or replace. Always wins over a lease in flight: that lease's finish writes nothing.
  virtual Result<void> save(const StoredToken& token) = 0;
  /// The user's token, or nothing when none is stored.
  virtual Result<std::optional<StoredToken>> load(std::string_view user_id) = 0;
  /// Data deletion; false: none. Always wins over a lease in flight: the token stays deleted.
  virtual Result<bool> remove(std::string_view user_id) = 0;
  /// Leases up to `limit` tokens that refresh_due() says are due by now(), that need no new
  /// login, whose failure.next_attempt has come and that no live lease holds; a lease ends at
  /// now() + `lease`, or when the token is saved, removed or its lease finished. Two callers
  /// never hold the same token at once (across processes too, for a shared store). Rows it
  /// cannot read are named in `unreadable`, never fail the call, and are not offered again.
  virtual Result<LeaseBatch> lease_due(const RefreshPolicy& policy, std::size_t limit,
                                       std::chrono::seconds lease) = 0;
  /// Leases this user's token whatever its age (for TokenRefresher::fresh): nothing when none
  /// is stored, it needs a new login, or a live lease holds it.
  virtual Result<std::optional<Lease>> lease_user(std::string_view user_id,
                                                  std::chrono::seconds lease) = 0;
  /// The refresher's only write: `result` replaces the row when the row still carries
  /// lease.fence (true); false, with nothing written, when it was saved, removed or leased
  /// again since. Ends the lease.
  virtual Result<bool> finish_lease(const Lease& lease, const StoredToken& result) = 0;
  /// finish_lease() for many at once, what each wrote in the same order. A store may write
  /// them in one statement (PostgreSQL does, atomically); this default finishes one at a time,
  /// so that an error may come after some were written. Either way a lease whose finish is
  /// lost runs out and its token is offered again.
  virtual Result<std::vector<bool>> finish_leases(const std::vector<FinishedLease>& finished);
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
  using Clock = std::function<std::chrono::system_clock::time_point()>;  ///< now(), as asked
  /// `clock`: the store's clock (a test's, to move time); the system clock when empty.
  explicit MemoryTokenStore(Clock clock = {});

  std::chrono::system_clock::time_point now() override;
  Result<void> save(const StoredToken& token) override;
  Result<std::optional<StoredToken>> load(std::string_view user_id) override;
  Result<bool> remove(std::string_view user_id) override;
  Result<LeaseBatch> lease_due(const RefreshPolicy& policy, std::size_t limit,
                               std::chrono::seconds lease) override;
  Result<std::optional<Lease>> lease_user(std::string_view user_id,
                                          std::chrono::seconds lease) override;
  Result<bool> finish_lease(const Lease& lease, const StoredToken& result) override;

 private:
  struct Entry {
    StoredToken stored;
    std::uint64_t fence = 0;
    std::optional<std::chrono::system_clock::time_point> leased_until;
  };
  Clock clock_;
  std::mutex mutex_;
  std::uint64_t last_fence_ = 0;
  std::map<std::string, Entry, std::less<>> tokens_;
};

}  // namespace instagram::oauth
