// The protocol document's sample app and its API, shared by the tests that need no server.
#pragma once

#include <instagram/oauth/config.hpp>

namespace instagram::oauth::testing {

inline AppConfig sample_app() {
  AppConfig config;
  config.client_id = "990602627938098";
  config.client_secret = "eb8c7-sample-secret";
  config.redirect_uri = "https://socialsizzle.herokuapp.com/auth/";
  config.endpoints = Endpoints::basic_display();
  return config;
}

}  // namespace instagram::oauth::testing
