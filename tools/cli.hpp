// Shared pieces of the instagram-oauth command: exit codes, secrets from the
// environment, the connection settings, the one way a token is printed, the look-alike.
#pragma once

#include <instagram/oauth.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth::cli {

enum ExitCode : int {
  success = 0,
  usage = 2,
  denied = 3,
  api_error = 4,
  network = 5,
  invalid = 6,  // invalid redirect, response or state
};

ExitCode exit_code_for(ErrorCategory category) noexcept;

// Prints "category: message" to stderr, and "hint: …" on a second line for a known
// Instagram error (with json_errors: one JSON object instead); returns the exit code.
int report(const OAuthException& error);
extern bool json_errors;  // set from the subcommand's --json
int usage_error(const std::string& message);

// A secret from an environment variable or a file (its content but one trailing line
// break; a warning when others may read it), never from argv (other users see argv in ps).
std::optional<std::string> read_secret(const char* variable, const std::string& file);

// The endpoints of --api's value: "basic-display" or "instagram-login" (the default).
Endpoints endpoints_for(const std::string& api);

// The connection settings every network subcommand takes.
struct Connection {
  std::string client_id;  // required: --client-id or $INSTAGRAM_CLIENT_ID
  std::string redirect_uri;
  std::string api = "instagram-login";
  std::string endpoint_base;  // a local Instagram look-alike, e.g. from `mock-server`
  std::string ca_file;
  std::string client_secret_file;
  long timeout_ms = 30'000;

  AppConfig app_config(std::string client_secret) const;
  ClientOptions client_options() const;
};

// The app with its client secret ($INSTAGRAM_CLIENT_SECRET or --client-secret-file), or
// nullopt after saying where the secret comes from.
std::optional<AppConfig> app_with_secret(const Connection& connection);

struct TokenOutput {
  bool json = false;
  bool show_token = false;
};

// A value from a server or a user, for one terminal line: escaped as JSON escapes it (the
// quotes dropped), so that it cannot forge a line or send an escape sequence.
std::string text(std::string_view value);

void print_token(std::ostream& out, const AccessToken& token, const TokenOutput& output);
void print_profile(std::ostream& out, const UserProfile& profile, const TokenOutput& output);

// The token on standard output, or the error reported; the exit code.
int print_result(const Result<AccessToken>& token, const TokenOutput& output);

// Starts the look-alike in `mock`; false, with the reason on stderr, when it cannot.
bool start_mock(std::optional<testing::InstagramMock>& mock, const testing::MockOptions& options);

}  // namespace instagram::oauth::cli
