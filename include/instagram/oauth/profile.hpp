/// @file
/// Who signed in: GET {graph}/{graph_version}/me with the access token.
#pragma once

#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/config.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/result.hpp>

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth {

/// Who signed in, as graph.instagram.com's /me answers (every documented shape accepted).
struct UserProfile {
  /// The app-scoped id, exact digits: not the key of a TokenStore, and not what Meta's
  /// callbacks and webhooks carry.
  std::string id;
  /// The professional account's id, exact digits: the one webhooks and Meta's callbacks carry,
  /// and the code exchange's AccessToken::user_id. Key your users on it.
  std::string user_id;
  std::string username;      ///< the handle, without the at sign
  std::string name;          ///< the display name, possibly empty
  std::string account_type;  ///< "Business", "Media_Creator" (Basic Display: "BUSINESS", …):
                             ///< compare without case
  std::string profile_picture_url;  ///< when asked for and present
  /// @{
  /// When asked for (me() with fields) and answered.
  std::optional<std::uint64_t> followers_count;
  std::optional<std::uint64_t> follows_count;
  std::optional<std::uint64_t> media_count;
  /// @}
};

/// Thread-safe; share a transport with the TokenExchanger (TokenExchanger::transport()).
/// The access token travels in the URL, as graph.instagram.com demands, and is masked out
/// of every error. Errors: invalid_argument (an empty token or field, an unusable
/// configuration: nothing sent), api (graph's error: code 190 when the token is dead, see
/// needs_reauthorization), transport, timeout, invalid_response (no id, an id or count that
/// is not exact digits), cancelled (async). Async callbacks run as TokenExchanger's do.
///
/// @code
/// const ProfileClient profiles = ProfileClient::create(app, exchanger.transport()).value();
/// Result<UserProfile> me = profiles.me(token.access_token);
/// if (me) greet(me->username);
/// @endcode
class INSTAGRAM_OAUTH_EXPORT ProfileClient {
 public:
  /// Called exactly once, on the transport's engine thread.
  using Callback = std::function<void(Result<UserProfile>)>;

  /// @{
  /// Deprecated: use create(). A client with a transport of its own (`options`) or a shared
  /// one; an unusable configuration fails each call with invalid_argument, at the first
  /// sign-in instead of at start-up.
  [[deprecated("use ProfileClient::create()")]] explicit ProfileClient(
      AppConfig config, const ClientOptions& options = {});
  [[deprecated("use ProfileClient::create()")]] ProfileClient(
      AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// @}

  /// The same, but an unusable configuration (graph URL, options, a null transport) is an
  /// invalid_argument here, at start-up, instead of at the first call. Thread-safe.
  /// @{
  static Result<ProfileClient> create(AppConfig config, const ClientOptions& options = {});
  static Result<ProfileClient> create(AppConfig config, std::shared_ptr<HttpTransport> transport);
  /// @}

  /// fields=user_id,username,name,account_type,profile_picture_url
  Result<UserProfile> me(std::string_view access_token) const;
  /// The fields named (Instagram adds id); unknown ones are Instagram's to refuse.
  Result<UserProfile> me(std::string_view access_token, std::vector<std::string> fields) const;
  /// @{
  /// me() without blocking: `done` called once (`cancelled` when `cancellation` stopped it
  /// before it was sent), or a future.
  void me_async(std::string_view access_token, Callback done,
                std::shared_ptr<Cancellation> cancellation = nullptr) const;
  std::future<Result<UserProfile>> me_async(std::string_view access_token) const;
  /// @}

 private:
  struct Unchecked {};  ///< create()'s way in: the configuration is checked after
  ProfileClient(Unchecked, AppConfig config, std::shared_ptr<HttpTransport> transport);
  Result<HttpRequest> request(std::string_view access_token, const std::string& fields) const;

  std::string client_secret_;  ///< masked too, should an answer echo it
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<Telemetry> telemetry_;  ///< the transport's, read once
  std::string config_problem_;
  std::string me_url_;  ///< {graph}/{version}/me?fields=
  std::string default_fields_;
};

}  // namespace instagram::oauth
