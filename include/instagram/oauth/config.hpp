// Where the three steps go, and the app's own identity: one source of truth.
#pragma once

#include <string>

namespace instagram::oauth {

struct Endpoints {
  std::string authorize = "https://api.instagram.com/oauth/authorize";
  std::string token = "https://api.instagram.com/oauth/access_token";
  std::string graph = "https://graph.instagram.com";  // long-lived exchange and refresh
  std::string required_scope = "user_profile";  // build() refuses scopes without it; empty: none

  // The protocol document's endpoints (Basic Display API): the default.
  static Endpoints basic_display() { return {}; }

  // "Instagram API with Instagram Login", Basic Display's successor.
  static Endpoints instagram_login() {
    Endpoints endpoints;
    endpoints.authorize = "https://www.instagram.com/oauth/authorize";
    endpoints.required_scope = "instagram_business_basic";
    return endpoints;
  }
};

// redirect_uri must be the same in all three steps, so every class copies it from here.
struct AppConfig {
  std::string client_id;      // the Instagram App ID, a numeric string
  std::string client_secret;  // a secret: sent only in the exchange's body (and graph URLs)
  std::string redirect_uri;   // absolute https (http only for loopback hosts)
  Endpoints endpoints = {};
};

}  // namespace instagram::oauth
