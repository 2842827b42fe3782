// The subcommands of instagram-oauth, each returning its exit code.
#pragma once

#include <instagram/oauth/testing/instagram_mock.hpp>

#include "cli.hpp"

#include <optional>
#include <string>
#include <vector>

namespace instagram::oauth::cli {

struct AuthorizeUrlArgs {
  Connection connection;
  std::string scope;
  std::string state;
  std::vector<std::string> params;
  bool force_reauth = false;
  bool no_fb_login = false;
  bool json = false;
};

struct ParseRedirectArgs {
  std::string redirect;
  std::string redirect_uri;
  std::optional<std::string> expected_state;  // given, even empty: checked (empty is refused)
  bool json = false;
};

struct ExchangeArgs {
  Connection connection;
  std::string code;
  std::string redirect;
  std::optional<std::string> expected_state;
  TokenOutput output;
};

struct TokenArgs {
  Connection connection;
  std::string token_file;
  TokenOutput output;
  bool if_due = false;      // refresh only when refresh_due()
  std::string received_at;  // with if_due: when the token was received (UTC)
  std::string expires_at;   // with if_due: when it expires (UTC)
};

struct MockServerArgs {
  int port = 0;
  bool tls = false;
  std::string shape = "flat";
  std::string client_id = testing::MockOptions{}.client_id;  // the look-alike's own app
  std::string redirect_uri = testing::MockOptions{}.redirect_uri;
  std::string api = "instagram-login";
  bool deny = false;
  double for_seconds = 0;
  int latency_ms = 0;
  std::string port_file;  // where to write the address and the app as JSON
};

struct LoginArgs {
  Connection connection;
  std::string scope;  // empty: the API's required scope
  std::string state;
  int listen_timeout_seconds = 300;
  TokenOutput output;
};

struct DoctorArgs {
  Connection connection;  // client id and redirect URI optional here: their checks say so
  std::vector<std::string> scopes;
  std::string graph_version;  // empty: the library's pinned one
  std::string database;       // libpq conninfo: the token store checked too (PostgreSQL builds)
  std::string keys_file;      // default: $INSTAGRAM_TOKEN_KEYS
  bool json = false;
};

struct RefreshDueArgs {
  Connection connection;
  std::string database;   // libpq conninfo
  std::string keys_file;  // default: $INSTAGRAM_TOKEN_KEYS
  std::size_t max_in_flight = 200;
  long lease_seconds = 300;  // how long a token is this pass's while it is refreshed
  // RefreshPolicy's, for a trial against the look-alike or an earlier refresh.
  long min_age_hours = 24;
  long refresh_within_days = 7;
  long clock_margin_seconds = 600;
  bool dry_run = false;  // what is due, nothing leased or sent
  bool reseal = false;   // every row to the first key, no pass
  bool json = false;
};

// Starts the look-alike in `mock`; false, with the reason on stderr, when it cannot.
bool start_mock(std::optional<testing::InstagramMock>& mock, const testing::MockOptions& options);

int run_authorize_url(const AuthorizeUrlArgs& args);
int run_parse_redirect(const ParseRedirectArgs& args);
int run_exchange(const ExchangeArgs& args);
int run_long_lived(const TokenArgs& args);
int run_refresh(const TokenArgs& args);
int run_me(const TokenArgs& args);
int run_mock_server(const MockServerArgs& args);
int run_login(const LoginArgs& args);
int run_demo();
int run_doctor(const DoctorArgs& args);
int run_refresh_due(const RefreshDueArgs& args);  // built with the PostgreSQL component

}  // namespace instagram::oauth::cli
