// instagram-oauth: build an authorize URL, check a pasted redirect, trade a code, run a
// local Instagram for your own tests, or watch the whole flow (`demo`).
#include "cli.hpp"
#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace cli = instagram::oauth::cli;

namespace {

// A count that 0 would turn into "none" (a time limit): CLI11's PositiveNumber says "Value 0
// not in range 0.000000 to 1797693…", which reads as if 0 were allowed.
const CLI::Validator greater_than_zero(
    [](const std::string& text) {
      std::size_t used = 0;
      long long value = 0;
      try {
        value = std::stoll(text, &used);
      } catch (const std::exception&) {
        return std::string("must be a whole number greater than 0");
      }
      return used == text.size() && value > 0
                 ? std::string()
                 : std::string("must be a whole number greater than 0");
    },
    "> 0");

// The API generation: Basic Display (the protocol document's) or Instagram Login.
void add_api_option(CLI::App& command, std::string& api) {
  command.add_option("--api", api, "endpoint generation")
      ->check(CLI::IsMember({"basic-display", "instagram-login"}))
      ->capture_default_str();
}

void add_connection(CLI::App& command, cli::Connection& connection, bool needs_secret) {
  command.add_option("--client-id", connection.client_id, "Instagram App ID (numeric)")
      ->envname("INSTAGRAM_CLIENT_ID")
      ->required();
  command
      .add_option("--redirect-uri", connection.redirect_uri,
                  "the app's redirect URI, exactly as registered")
      ->required();
  add_api_option(command, connection.api);
  command.add_option("--endpoint-base", connection.endpoint_base,
                     "base URL of a local Instagram look-alike (from `mock-server`)");
  command.add_option("--ca-file", connection.ca_file,
                     "PEM file of the CA to trust (default: system store)");
  command.add_option("--timeout-ms", connection.timeout_ms, "total time limit per request (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  if (needs_secret) {
    command.add_option("--client-secret-file", connection.client_secret_file,
                       "file holding the client secret (default: $INSTAGRAM_CLIENT_SECRET)");
  }
}

void add_token_output(CLI::App& command, cli::TokenOutput& output) {
  command.add_flag("--json", output.json, "print the answer as JSON");
  command.add_flag("--show-token", output.show_token,
                   "print the access token itself (it is a secret)");
}

// A subcommand that works on a token from $INSTAGRAM_ACCESS_TOKEN or --token-file.
CLI::App* add_token_command(CLI::App& app, const char* name, const char* description,
                            cli::TokenArgs& args, int& result, int (*run)(const cli::TokenArgs&)) {
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("--token-file", args.token_file, "file holding the token");
  add_connection(*command, args.connection, true);
  add_token_output(*command, args.output);
  command->callback([&args, &result, run] {
    cli::json_errors = args.output.json;
    result = run(args);
  });
  return command;
}

void add_authorize_url(CLI::App& app, cli::AuthorizeUrlArgs& args, int& result) {
  CLI::App* command = app.add_subcommand("authorize-url", "print the Authorization Window URL");
  command->add_option("--client-id", args.connection.client_id, "Instagram App ID")
      ->envname("INSTAGRAM_CLIENT_ID")
      ->required();
  command->add_option("--redirect-uri", args.connection.redirect_uri, "the app's redirect URI")
      ->required();
  command->add_option("--scope", args.scope, "permissions, comma-separated")->required();
  command->add_option("--state", args.state, "'auto' (256 random bits) or a value");
  add_api_option(*command, args.connection.api);
  command->add_option("--endpoint-base", args.connection.endpoint_base,
                      "a local look-alike's base URL");
  command->add_option("--param", args.params, "an extra NAME=VALUE parameter (repeatable)");
  command->add_flag("--force-reauth", args.force_reauth,
                    "force_reauth=true: the user logs in again");
  command->add_flag("--no-fb-login", args.no_fb_login,
                    "enable_fb_login=false: hide \"Log in with Facebook\"");
  command->add_flag("--json", args.json, "print {\"url\",\"state\"} as JSON");
  command->callback([&] {
    cli::json_errors = args.json;
    result = cli::run_authorize_url(args);
  });
}

void add_parse_redirect(CLI::App& app, cli::ParseRedirectArgs& args, int& result) {
  CLI::App* command =
      app.add_subcommand("parse-redirect", "read the code or the denial from a redirect URL");
  command->add_option("url", args.redirect, "the URL Instagram redirected to")->required();
  command->add_option("--redirect-uri", args.redirect_uri, "check the redirect's base against it");
  command->add_option("--expect-state", args.expected_state, "the state the redirect must carry");
  command->add_flag("--json", args.json, "print {\"code\",\"state\"} as JSON");
  command->callback([&] {
    cli::json_errors = args.json;
    result = cli::run_parse_redirect(args);
  });
}

void add_exchange(CLI::App& app, cli::ExchangeArgs& args, int& result) {
  CLI::App* command = app.add_subcommand("exchange", "trade a code for a short-lived token");
  auto* code_option = command->add_option("--code", args.code, "the authorization code");
  auto* redirect_option =
      command->add_option("--redirect", args.redirect, "the redirect URL holding the code");
  code_option->excludes(redirect_option);
  command->add_option("--expect-state", args.expected_state,
                      "with --redirect: the state it must carry");
  add_connection(*command, args.connection, true);
  add_token_output(*command, args.output);
  command->callback([&] {
    cli::json_errors = args.output.json;
    result = args.code.empty() && args.redirect.empty()
                 ? cli::usage_error("exchange needs --code or --redirect")
                 : cli::run_exchange(args);
  });
}

void add_refresh(CLI::App& app, cli::TokenArgs& args, int& result) {
  CLI::App* command =
      add_token_command(app, "refresh", "refresh a long-lived token ($INSTAGRAM_ACCESS_TOKEN)",
                        args, result, cli::run_refresh);
  auto* if_due = command->add_flag(
      "--if-due", args.if_due,
      "refresh only when due (24 hours old, within 7 days of expiry); exit 0 either way");
  command
      ->add_option("--received-at", args.received_at,
                   "with --if-due: when the token was received, UTC")
      ->needs(if_due);
  command
      ->add_option("--expires-at", args.expires_at,
                   "with --if-due: when it expires, UTC (as --json prints)")
      ->needs(if_due);
}

void add_mock_server(CLI::App& app, cli::MockServerArgs& args, int& result) {
  CLI::App* command = app.add_subcommand("mock-server", "run an Instagram look-alike on 127.0.0.1");
  command->add_option("--port", args.port, "port (0: any free one)")->capture_default_str();
  command->add_flag("--tls", args.tls, "serve HTTPS with a throwaway CA (its file is printed)");
  command->add_option("--shape", args.shape, "success answer shape")
      ->check(CLI::IsMember({"flat", "data"}))
      ->capture_default_str();
  command->add_option("--client-id", args.client_id, "the app it accepts")->capture_default_str();
  command->add_option("--redirect-uri", args.redirect_uri, "the redirect URI it accepts")
      ->capture_default_str();
  add_api_option(*command, args.api);
  command->add_flag("--deny", args.deny, "every user cancels the authorization");
  command
      ->add_option("--latency-ms", args.latency_ms, "every answer waits this long (a round trip)")
      ->check(CLI::Range(0, 60'000));
  command->add_option("--for-seconds", args.for_seconds,
                      "stop after this long (default: at Ctrl-C or SIGTERM)");
  command->add_option("--port-file", args.port_file,
                      "write the address, the endpoints and the app as one JSON line there, once "
                      "listening (for test harnesses)");
  command->callback([&] { result = cli::run_mock_server(args); });
}

void add_login(CLI::App& app, cli::LoginArgs& args, int& result) {
  CLI::App* command =
      app.add_subcommand("login", "the whole flow: URL, redirect, state check, token");
  command->add_option("--scope", args.scope,
                      "permissions, comma-separated (default: the API's required one)");
  command->add_option("--state", args.state, "a fixed state (default: 256 random bits)");
  command
      ->add_option("--listen-timeout", args.listen_timeout_seconds,
                   "seconds to wait for the redirect on a loopback redirect URI")
      ->capture_default_str();
  add_connection(*command, args.connection, true);
  add_token_output(*command, args.output);
  command->callback([&] {
    cli::json_errors = args.output.json;
    result = cli::run_login(args);
  });
}

void add_doctor(CLI::App& app, cli::DoctorArgs& args, int& result) {
  CLI::App* command = app.add_subcommand(
      "doctor", "check an app's Instagram setup (ids, secret, redirect URI, scopes, network)");
  command->add_option("--client-id", args.connection.client_id, "Instagram App ID")
      ->envname("INSTAGRAM_CLIENT_ID");
  command->add_option("--redirect-uri", args.connection.redirect_uri,
                      "the app's redirect URI, exactly as registered");
  command->add_option("--scope", args.scopes,
                      "a permission to ask for (repeatable, or comma-separated)");
  add_api_option(*command, args.connection.api);
  command->add_option("--graph-version", args.graph_version,
                      "the Graph API version the app pins (default: the library's)");
  command->add_option("--endpoint-base", args.connection.endpoint_base,
                      "base URL of a local Instagram look-alike (from `mock-server`)");
  command->add_option("--ca-file", args.connection.ca_file,
                      "PEM file of the CA to trust (default: system store)");
  command->add_option("--timeout-ms", args.connection.timeout_ms, "time limit per request (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  command->add_option("--client-secret-file", args.connection.client_secret_file,
                      "file holding the client secret (default: $INSTAGRAM_CLIENT_SECRET)");
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
  command->add_option("--database", args.database,
                      "libpq conninfo of the token store: check it too (the keys open every "
                      "row, rows per key, tokens that need a look)");
  command->add_option("--keys-file", args.keys_file,
                      "file holding the token keys, comma-separated (default: "
                      "$INSTAGRAM_TOKEN_KEYS)");
#endif
  command->add_flag("--json", args.json, "print {\"checks\":[…]} as JSON");
  command->callback([&] {
    cli::json_errors = args.json;
    result = cli::run_doctor(args);
  });
}

#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
void add_refresh_due(CLI::App& app, cli::RefreshDueArgs& args, int& result) {
  CLI::App* command = app.add_subcommand(
      "refresh-due", "refresh every due token in PostgreSQL once (a pass, for cron or a timer)");
  command->add_option("--database", args.database, "libpq conninfo of the token store")
      ->envname("INSTAGRAM_DATABASE_URL")
      ->required();
  command->add_option("--keys-file", args.keys_file,
                      "file holding the token keys, comma-separated (default: "
                      "$INSTAGRAM_TOKEN_KEYS)");
  command->add_option("--max-in-flight", args.max_in_flight, "refreshes at once (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  command
      ->add_option("--lease-seconds", args.lease_seconds,
                   "how long a token is this pass's while it is refreshed; a pass that dies "
                   "leaves its tokens to a later pass after this (> --timeout-ms)")
      ->check(greater_than_zero)
      ->capture_default_str();
  command
      ->add_option("--min-age-hours", args.min_age_hours,
                   "never refresh a token younger than this (Instagram refuses under 24)")
      ->check(CLI::Range(0L, 24L * 60))
      ->capture_default_str();
  command
      ->add_option("--refresh-within-days", args.refresh_within_days,
                   "refresh a token once it expires within this many days")
      ->check(CLI::Range(1L, 60L))
      ->capture_default_str();
  command
      ->add_option("--clock-margin-seconds", args.clock_margin_seconds,
                   "added to --min-age-hours, for Instagram's clock and the database's apart")
      ->check(CLI::Range(0L, 86'400L))
      ->capture_default_str();
  add_connection(*command, args.connection, true);
  auto* dry_run = command->add_flag(
      "--dry-run", args.dry_run,
      "say what is due (and what is leased, failing, dead or unreadable); lease and send nothing");
  command
      ->add_flag("--reseal", args.reseal,
                 "seal every token with the first key (after a rotation) instead of a pass")
      ->excludes(dry_run);
  command->add_flag("--json", args.json,
                    "print the summary as JSON, each user's outcome but a plain refresh listed");
  command->footer(
      "Prints the counts, then a line for each user whose outcome needs a look (failed, with\n"
      "its attempt and next try; reauthorization_needed; unreadable; recovered; superseded).\n"
      "Exit codes: 0 every due token refreshed (or none due; a token that needs a new login is\n"
      "an outcome, not a failure); 1 a refresh failed or the pass stopped (a later pass\n"
      "retries); 2 usage (a missing secret, key or option); 4 Instagram refused the app; 5 the\n"
      "database or Instagram unreachable; 6 a stored token no key opens (every other token was\n"
      "refreshed; --reseal names them), or an answer not as expected.\n"
      "The database URL is best given in $INSTAGRAM_DATABASE_URL: argv, password included, is\n"
      "visible to every user in ps.");
  command->callback([&] {
    cli::json_errors = args.json;
    result = cli::run_refresh_due(args);
  });
}
#endif

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Instagram OAuth from the command line: authorize URLs, redirects, tokens, a local "
      "Instagram, a check of an app's setup"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(instagram::oauth::version));
  int result = cli::success;

  cli::AuthorizeUrlArgs authorize;
  add_authorize_url(app, authorize, result);
  cli::ParseRedirectArgs parse;
  add_parse_redirect(app, parse, result);
  cli::ExchangeArgs exchange;
  add_exchange(app, exchange, result);
  cli::TokenArgs long_lived;
  add_token_command(app, "long-lived",
                    "trade a short-lived token ($INSTAGRAM_ACCESS_TOKEN) for a long-lived one",
                    long_lived, result, cli::run_long_lived);
  cli::TokenArgs refresh;
  add_refresh(app, refresh, result);
  cli::TokenArgs me;
  add_token_command(app, "me", "who signed in: the profile of $INSTAGRAM_ACCESS_TOKEN's user", me,
                    result, cli::run_me);
  cli::MockServerArgs mock;
  add_mock_server(app, mock, result);
  cli::LoginArgs login;
  add_login(app, login, result);
  cli::DoctorArgs doctor;
  add_doctor(app, doctor, result);
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
  cli::RefreshDueArgs refresh_due;
  add_refresh_due(app, refresh_due, result);
#endif
  app.add_subcommand("demo", "run the whole flow against an embedded Instagram look-alike")
      ->callback([&] { result = cli::run_demo(); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? cli::success : cli::usage;
  }
  return result;
}
