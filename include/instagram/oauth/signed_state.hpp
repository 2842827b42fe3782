/// @file
/// CSRF state that needs no server-side store: signed with a server key and bound to the
/// browser, so that any instance of a fleet can finish a login that another began.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// The state carries a random nonce, the issue time, an optional return_to path, a tag of
/// the browser binding and an HMAC-SHA256 of all that; about 100 URL-safe characters for
/// an empty return_to. Thread-safe (const calls only).
///
/// @code
/// const StateSigner signer = StateSigner::create({state_key}).value();  // every instance
/// std::string state = signer.issue(browser_binding, "/after-login").value();
/// // … on the callback, any instance:
/// Result<SignedRedirect> signed_in = parser.parse(callback_url, signer, browser_binding);
/// @endcode
class INSTAGRAM_OAUTH_EXPORT StateSigner {
 public:
  /// The time source: system_clock::now unless a test gives its own.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Deprecated: use create(). keys[0] signs, every key verifies (rotation: add the new key
  /// first, drop the old one after ttl). Each key ≥ 32 bytes. An unusable set of keys or ttl
  /// makes every call fail with invalid_argument. `clock` is for tests; empty:
  /// system_clock::now.
  [[deprecated("use StateSigner::create()")]] explicit StateSigner(
      std::vector<std::string> keys, std::chrono::seconds ttl = std::chrono::minutes(10),
      Clock clock = {});

  /// The same, but unusable keys or ttl are an invalid_argument here, at start-up, instead
  /// of at the first login. Thread-safe.
  static Result<StateSigner> create(std::vector<std::string> keys,
                                    std::chrono::seconds ttl = std::chrono::minutes(10),
                                    Clock clock = {});

  /// `browser_binding`: a random value kept in the browser's HttpOnly cookie (never empty).
  /// `return_to`: where to send the user after sign-in, a relative path ("/…", never "//…",
  /// a backslash or a scheme: that would be an open redirect), or empty.
  /// Errors: invalid_argument (empty binding, bad return_to, unusable keys), system (CSPRNG).
  Result<std::string> issue(std::string_view browser_binding,
                            std::string_view return_to = {}) const;

  /// The return_to the state was issued with ("" for none). Errors: invalid_argument (an
  /// empty binding or state, unusable keys); state_mismatch saying which: malformed or
  /// truncated, signed with a key no longer configured, forged, issued to another browser,
  /// expired.
  Result<std::string> verify(std::string_view state, std::string_view browser_binding) const;

 private:
  struct Unchecked {};  ///< create()'s way in: the keys are checked after
  StateSigner(Unchecked, std::vector<std::string> keys, std::chrono::seconds ttl, Clock clock);
  std::vector<std::string> keys_;
  std::chrono::seconds ttl_;
  Clock clock_;
  std::string problem_;  ///< why the keys or ttl cannot serve, or empty
};

}  // namespace instagram::oauth
