/// @file
/// Sessions for the web sign-in, shared by every instance of a fleet: a session is created
/// for a user once the sign-in is done, and its id goes in the browser's cookie.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth {

/// A signed-in user's session. `id` is the cookie's value: 256 random bits, base64url; a
/// store keeps only its SHA-256, so that a read of the store gives no one a session.
struct Session {
  std::string id;       ///< only from create(); load() leaves the id it was given
  std::string user_id;  ///< Instagram's id, digits (AccessToken::user_id of the code exchange)
  std::chrono::system_clock::time_point expires_at;  ///< by the store's clock
};

/// Thread-safe in every implementation. Errors: invalid_argument (a user id that is not
/// digits, an empty id, a lifetime of 0 or less), system (no randomness for an id), and what
/// the implementation's storage reports (PostgreSQL: transport, timeout, system). An id that
/// is not one of the store's (a forged or mangled cookie) is no session, never an error.
///
/// @code
/// Session session = sessions->create(token.user_id, std::chrono::hours(24 * 14)).value();
/// // Set-Cookie: session=<session.id>; HttpOnly; Secure; SameSite=Lax
/// std::optional<Session> back = sessions->load(cookie_value).value();  // none once expired
/// sessions->remove_user(signed_request.user_id).value();  // Meta's deauthorize or deletion
/// @endcode
class INSTAGRAM_OAUTH_EXPORT SessionStore {
 public:
  virtual ~SessionStore() = default;
  /// A new session for `user_id`, ending `lifetime` from now by the store's clock.
  virtual Result<Session> create(std::string_view user_id, std::chrono::seconds lifetime) = 0;
  /// The session of this id, or nothing once expired, removed, or never the store's.
  virtual Result<std::optional<Session>> load(std::string_view id) = 0;
  /// Extends a live session to `lifetime` from now; an expired or unknown one stays gone.
  virtual Result<void> touch(std::string_view id, std::chrono::seconds lifetime) = 0;
  /// Ends a session (sign-out); false when there was none.
  virtual Result<bool> remove(std::string_view id) = 0;
  /// Ends every session of a user (Meta's deauthorize and data deletion); how many.
  virtual Result<std::size_t> remove_user(std::string_view user_id) = 0;
};

/// Sessions in this process's memory: for tests and a service with one instance. Expired
/// sessions are dropped as new ones are created.
class INSTAGRAM_OAUTH_EXPORT MemorySessionStore final : public SessionStore {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;  ///< the store's now
  /// `clock`: the store's clock (a test's, to move time); the system clock when empty.
  explicit MemorySessionStore(Clock clock = {});

  Result<Session> create(std::string_view user_id, std::chrono::seconds lifetime) override;
  Result<std::optional<Session>> load(std::string_view id) override;
  Result<void> touch(std::string_view id, std::chrono::seconds lifetime) override;
  Result<bool> remove(std::string_view id) override;
  Result<std::size_t> remove_user(std::string_view user_id) override;

 private:
  struct Entry {
    std::string user_id;
    std::chrono::system_clock::time_point expires_at;
  };
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> by_hash_;  // SHA-256 of the id → the session
};

}  // namespace instagram::oauth
