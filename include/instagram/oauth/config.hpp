/// @file
/// Where the steps go, and the app's own identity: one source of truth.
#pragma once

#include <string>
#include <string_view>

namespace instagram::oauth {

/// Where each step goes: the live API by default, Basic Display's, or a look-alike's.
///
/// @code
/// AppConfig app{client_id, client_secret, redirect_uri};              // the live API
/// app.endpoints = Endpoints::basic_display();                           // the document's API
/// app.endpoints = Endpoints().at("http://127.0.0.1:8080");             // a local look-alike
/// @endcode
struct Endpoints {
  std::string authorize = "https://www.instagram.com/oauth/authorize";  ///< the window
  std::string token = "https://api.instagram.com/oauth/access_token";   ///< the code's POST
  std::string graph = "https://graph.instagram.com";  ///< long-lived exchange, refresh, /me
  std::string graph_version = "v25.0";  ///< for /me; "" calls unversioned (the App Dashboard's)
  std::string required_scope = "instagram_business_basic";  ///< build() refuses scopes without it

  /// "Instagram API with Instagram Login", the live API: the default.
  static Endpoints instagram_login() { return {}; }

  /// The protocol document's Basic Display API (shut by Meta on 2024-12-04).
  static Endpoints basic_display() {
    Endpoints endpoints;
    endpoints.authorize = "https://api.instagram.com/oauth/authorize";
    endpoints.graph_version.clear();
    endpoints.required_scope = "user_profile";
    return endpoints;
  }

  /// These endpoints on another server (a local look-alike): authorize at
  /// base/oauth/authorize, token at base/oauth/access_token, graph at base itself. The URLs
  /// are checked where they are used (invalid_argument there). Never fails; thread-safe.
  Endpoints at(std::string_view base) const {
    Endpoints moved = *this;
    moved.authorize = std::string(base) + "/oauth/authorize";
    moved.token = std::string(base) + "/oauth/access_token";
    moved.graph = std::string(base);
    return moved;
  }
};

/// redirect_uri must be the same in all three steps, so every class copies it from here.
struct AppConfig {
  std::string client_id;      ///< the Instagram App ID, a numeric string
  std::string client_secret;  ///< a secret: sent only in the exchange's body (and graph URLs)
  std::string redirect_uri;   ///< absolute https (http only for loopback hosts)
  Endpoints endpoints = {};   ///< the live API unless changed
};

}  // namespace instagram::oauth
