// `instagram-oauth long-lived`, `refresh` and `me`: the three calls on a token, which comes
// from $INSTAGRAM_ACCESS_TOKEN or --token-file (never argv: other users see argv in ps).
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace instagram::oauth::cli {
namespace {

struct TokenArgs {
  Connection connection;
  std::string token_file;
  TokenOutput output;
  bool if_due = false;      // refresh only when refresh_due()
  std::string received_at;  // with if_due: when the token was received (UTC)
  std::string expires_at;   // with if_due: when it expires (UTC)
};

using RunTokenCommand = int (*)(const TokenArgs& args);

std::optional<std::string> token_from(const TokenArgs& args) {
  std::optional<std::string> token = read_secret("INSTAGRAM_ACCESS_TOKEN", args.token_file);
  if (!token)
    usage_error("the token comes from $INSTAGRAM_ACCESS_TOKEN or --token-file, never argv");
  return token;
}

// "2026-11-30T06:00:00Z", as --json prints times.
std::optional<std::chrono::system_clock::time_point> utc_time_point(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&parts));
}

int run_token_call(const TokenArgs& args, bool refresh) {
  const std::optional<AppConfig> config = app_with_secret(args.connection);
  if (!config) return usage;
  const std::optional<std::string> token = token_from(args);
  if (!token) return usage;
  if (refresh && args.if_due) {
    AccessToken current;
    current.access_token = *token;
    current.received_at = utc_time_point(args.received_at);
    current.expires_at = utc_time_point(args.expires_at);
    if (!current.received_at || !current.expires_at) {
      return usage_error(
          "--if-due needs --received-at and --expires-at as UTC times, e.g. "
          "2026-11-30T06:00:00Z");
    }
    if (!refresh_due(current, std::chrono::system_clock::now())) {
      std::cout << "refresh not due: the token is under 24 hours old or more than 7 days from "
                   "expiring; nothing sent\n";
      return success;
    }
    std::cout << "refresh due: refreshing\n";
  }
  const Result<TokenExchanger> exchanger =
      TokenExchanger::create(*config, args.connection.client_options());
  if (!exchanger) return report(exchanger.error());
  return print_result(
      refresh ? exchanger->refresh(*token) : exchanger->exchange_for_long_lived(*token),
      args.output);
}

int run_long_lived(const TokenArgs& args) {
  return run_token_call(args, false);
}

int run_refresh(const TokenArgs& args) {
  return run_token_call(args, true);
}

int run_me(const TokenArgs& args) {
  const std::optional<AppConfig> config = app_with_secret(args.connection);
  if (!config) return usage;
  const std::optional<std::string> token = token_from(args);
  if (!token) return usage;
  const Result<UserProfile> profile =
      ProfileClient::create(*config, args.connection.client_options())
          .and_then([&](const ProfileClient& profiles) { return profiles.me(*token); });
  if (!profile) return report(profile.error());
  print_profile(std::cout, *profile, args.output);
  return success;
}

// The subcommand with the options the three share; `args` outlives it in its callback.
CLI::App* add_token_command(CLI::App& app, const char* name, const char* description,
                            const std::shared_ptr<TokenArgs>& args, int& result,
                            RunTokenCommand run) {
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("--token-file", args->token_file, "file holding the token");
  add_connection(*command, args->connection, true);
  add_token_output(*command, args->output);
  command->callback([args, &result, run] {
    json_errors = args->output.json;
    result = run(*args);
  });
  return command;
}

}  // namespace

void add_long_lived(CLI::App& app, int& result) {
  add_token_command(app, "long-lived",
                    "trade a short-lived token ($INSTAGRAM_ACCESS_TOKEN) for a long-lived one",
                    std::make_shared<TokenArgs>(), result, &run_long_lived);
}

void add_refresh(CLI::App& app, int& result) {
  auto args = std::make_shared<TokenArgs>();
  CLI::App* command =
      add_token_command(app, "refresh", "refresh a long-lived token ($INSTAGRAM_ACCESS_TOKEN)",
                        args, result, &run_refresh);
  auto* if_due = command->add_flag(
      "--if-due", args->if_due,
      "refresh only when due (24 hours old, within 7 days of expiry); exit 0 either way");
  command
      ->add_option("--received-at", args->received_at,
                   "with --if-due: when the token was received, UTC")
      ->needs(if_due);
  command
      ->add_option("--expires-at", args->expires_at,
                   "with --if-due: when it expires, UTC (as --json prints)")
      ->needs(if_due);
}

void add_me(CLI::App& app, int& result) {
  add_token_command(app, "me", "who signed in: the profile of $INSTAGRAM_ACCESS_TOKEN's user",
                    std::make_shared<TokenArgs>(), result, &run_me);
}

}  // namespace instagram::oauth::cli
