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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Instagram OAuth from the command line: authorize URLs, redirects, tokens, a local "
      "Instagram"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(instagram::oauth::version));
  int result = cli::success;

  cli::AuthorizeUrlArgs authorize;
  CLI::App* authorize_url =
      app.add_subcommand("authorize-url", "print the Authorization Window URL");
  authorize_url->add_option("--client-id", authorize.connection.client_id, "Instagram App ID")
      ->envname("INSTAGRAM_CLIENT_ID")
      ->required();
  authorize_url
      ->add_option("--redirect-uri", authorize.connection.redirect_uri, "the app's redirect URI")
      ->required();
  authorize_url->add_option("--scope", authorize.scope, "permissions, comma-separated")->required();
  authorize_url->add_option("--state", authorize.state, "'auto' (256 random bits) or a value");
  add_api_option(*authorize_url, authorize.connection.api);
  authorize_url->add_option("--endpoint-base", authorize.connection.endpoint_base,
                            "a local look-alike's base URL");
  authorize_url->add_option("--param", authorize.params,
                            "an extra NAME=VALUE parameter (repeatable)");
  authorize_url->add_flag("--force-reauth", authorize.force_reauth,
                          "force_reauth=true: the user logs in again");
  authorize_url->add_flag("--no-fb-login", authorize.no_fb_login,
                          "enable_fb_login=false: hide \"Log in with Facebook\"");
  authorize_url->add_flag("--json", authorize.json, "print {\"url\",\"state\"} as JSON");
  authorize_url->callback([&] {
    cli::json_errors = authorize.json;
    result = cli::run_authorize_url(authorize);
  });

  cli::ParseRedirectArgs parse;
  CLI::App* parse_redirect =
      app.add_subcommand("parse-redirect", "read the code or the denial from a redirect URL");
  parse_redirect->add_option("url", parse.redirect, "the URL Instagram redirected to")->required();
  parse_redirect->add_option("--redirect-uri", parse.redirect_uri,
                             "check the redirect's base against it");
  parse_redirect->add_option("--expect-state", parse.expected_state,
                             "the state the redirect must carry");
  parse_redirect->add_flag("--json", parse.json, "print {\"code\",\"state\"} as JSON");
  parse_redirect->callback([&] {
    cli::json_errors = parse.json;
    result = cli::run_parse_redirect(parse);
  });

  cli::ExchangeArgs exchange;
  CLI::App* exchange_command =
      app.add_subcommand("exchange", "trade a code for a short-lived token");
  auto* code_option =
      exchange_command->add_option("--code", exchange.code, "the authorization code");
  auto* redirect_option = exchange_command->add_option("--redirect", exchange.redirect,
                                                       "the redirect URL holding the code");
  code_option->excludes(redirect_option);
  exchange_command->add_option("--expect-state", exchange.expected_state,
                               "with --redirect: the state it must carry");
  add_connection(*exchange_command, exchange.connection, true);
  add_token_output(*exchange_command, exchange.output);
  exchange_command->callback([&] {
    cli::json_errors = exchange.output.json;
    result = exchange.code.empty() && exchange.redirect.empty()
                 ? cli::usage_error("exchange needs --code or --redirect")
                 : cli::run_exchange(exchange);
  });

  cli::TokenArgs long_lived;
  add_token_command(app, "long-lived",
                    "trade a short-lived token ($INSTAGRAM_ACCESS_TOKEN) for a long-lived one",
                    long_lived, result, cli::run_long_lived);

  cli::TokenArgs refresh;
  CLI::App* refresh_command =
      add_token_command(app, "refresh", "refresh a long-lived token ($INSTAGRAM_ACCESS_TOKEN)",
                        refresh, result, cli::run_refresh);
  auto* if_due = refresh_command->add_flag(
      "--if-due", refresh.if_due,
      "refresh only when due (24 hours old, within 7 days of expiry); exit 0 either way");
  refresh_command
      ->add_option("--received-at", refresh.received_at,
                   "with --if-due: when the token was received, UTC")
      ->needs(if_due);
  refresh_command
      ->add_option("--expires-at", refresh.expires_at,
                   "with --if-due: when it expires, UTC (as --json prints)")
      ->needs(if_due);

  cli::TokenArgs me;
  add_token_command(app, "me", "who signed in: the profile of $INSTAGRAM_ACCESS_TOKEN's user", me,
                    result, cli::run_me);

  cli::MockServerArgs mock;
  CLI::App* mock_server =
      app.add_subcommand("mock-server", "run an Instagram look-alike on 127.0.0.1");
  mock_server->add_option("--port", mock.port, "port (0: any free one)")->capture_default_str();
  mock_server->add_flag("--tls", mock.tls, "serve HTTPS with a throwaway CA (its file is printed)");
  mock_server->add_option("--shape", mock.shape, "success answer shape")
      ->check(CLI::IsMember({"flat", "data"}))
      ->capture_default_str();
  mock_server->add_option("--client-id", mock.client_id, "the app it accepts")
      ->capture_default_str();
  mock_server->add_option("--redirect-uri", mock.redirect_uri, "the redirect URI it accepts")
      ->capture_default_str();
  add_api_option(*mock_server, mock.api);
  mock_server->add_flag("--deny", mock.deny, "every user cancels the authorization");
  mock_server
      ->add_option("--latency-ms", mock.latency_ms, "every answer waits this long (a round trip)")
      ->check(CLI::Range(0, 60'000));
  mock_server->add_option("--for-seconds", mock.for_seconds,
                          "stop after this long (default: at Ctrl-C)");
  mock_server->callback([&] { result = cli::run_mock_server(mock); });

  cli::LoginArgs login;
  CLI::App* login_command =
      app.add_subcommand("login", "the whole flow: URL, redirect, state check, token");
  login_command->add_option("--scope", login.scope,
                            "permissions, comma-separated (default: the API's required one)");
  login_command->add_option("--state", login.state, "a fixed state (default: 256 random bits)");
  login_command
      ->add_option("--listen-timeout", login.listen_timeout_seconds,
                   "seconds to wait for the redirect on a loopback redirect URI")
      ->capture_default_str();
  add_connection(*login_command, login.connection, true);
  add_token_output(*login_command, login.output);
  login_command->callback([&] {
    cli::json_errors = login.output.json;
    result = cli::run_login(login);
  });

  cli::DoctorArgs doctor;
  CLI::App* doctor_command = app.add_subcommand(
      "doctor", "check an app's Instagram setup (ids, secret, redirect URI, scopes, network)");
  doctor_command->add_option("--client-id", doctor.connection.client_id, "Instagram App ID")
      ->envname("INSTAGRAM_CLIENT_ID");
  doctor_command->add_option("--redirect-uri", doctor.connection.redirect_uri,
                             "the app's redirect URI, exactly as registered");
  doctor_command->add_option("--scope", doctor.scopes,
                             "a permission to ask for (repeatable, or comma-separated)");
  add_api_option(*doctor_command, doctor.connection.api);
  doctor_command->add_option("--graph-version", doctor.graph_version,
                             "the Graph API version the app pins (default: the library's)");
  doctor_command->add_option("--endpoint-base", doctor.connection.endpoint_base,
                             "base URL of a local Instagram look-alike (from `mock-server`)");
  doctor_command->add_option("--ca-file", doctor.connection.ca_file,
                             "PEM file of the CA to trust (default: system store)");
  doctor_command
      ->add_option("--timeout-ms", doctor.connection.timeout_ms, "time limit per request (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  doctor_command->add_option("--client-secret-file", doctor.connection.client_secret_file,
                             "file holding the client secret (default: $INSTAGRAM_CLIENT_SECRET)");
  doctor_command->add_flag("--json", doctor.json, "print {\"checks\":[…]} as JSON");
  doctor_command->callback([&] {
    cli::json_errors = doctor.json;
    result = cli::run_doctor(doctor);
  });

  CLI::App* demo =
      app.add_subcommand("demo", "run the whole flow against an embedded Instagram look-alike");
  demo->callback([&] { result = cli::run_demo(); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? cli::success : cli::usage;
  }
  return result;
}
