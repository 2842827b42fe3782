// `instagram-oauth refresh-due`: one refresh pass over the tokens in PostgreSQL, for cron
// or a systemd timer. Each instance of a fleet may run it at the same time.
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "token_database.hpp"

#include <instagram/oauth/postgres/token_store.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace instagram::oauth::cli {
namespace {

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

std::string iso_time(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32] = {};
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

nlohmann::json event_json(const RefreshEvent& event) {
  nlohmann::json json = {{"user_id", event.user_id}, {"outcome", to_string(event.kind)}};
  if (event.error) {
    json["error"] = to_string(event.error->category());
    json["message"] = event.error->error_message();
  }
  if (event.attempts > 0) json["attempts"] = event.attempts;
  if (event.next_attempt) json["next_attempt"] = iso_time(*event.next_attempt);
  return json;
}

// One line for an outcome an operator acts on; a refreshed token needs none.
void print_event(std::ostream& out, const RefreshEvent& event) {
  out << to_string(event.kind) << ' ' << event.user_id;
  if (event.error) out << ": " << text(event.error->what());
  if (event.attempts > 0) out << " (attempt " << event.attempts;
  if (event.next_attempt) out << ", next at " << iso_time(*event.next_attempt);
  if (event.attempts > 0) out << ')';
  out << '\n';
}

int run_dry(PostgresTokenStore& store, const RefreshPolicy& policy, bool json) {
  const Result<TokenStoreOverview> seen = store.overview(policy);
  if (!seen) return report(seen.error());
  if (json) {
    std::cout << nlohmann::json{{"tokens", seen->tokens},
                                {"due", seen->due},
                                {"leased", seen->leased},
                                {"waiting_after_failure", seen->waiting_after_failure},
                                {"reauthorization_needed", seen->reauthorization_needed},
                                {"unreadable", seen->unreadable},
                                {"due_users", seen->due_users},
                                {"unreadable_users", seen->unreadable_users}}
                     .dump()
              << '\n';
    return success;
  }
  std::cout << "tokens: " << seen->tokens << "\ndue now (a pass would refresh): " << seen->due
            << "\nleased by a pass under way: " << seen->leased
            << "\nwaiting after a failure: " << seen->waiting_after_failure
            << "\nneed a new login: " << seen->reauthorization_needed
            << "\nunreadable (no key opens them): " << seen->unreadable << '\n';
  for (const std::string& user : seen->due_users) std::cout << "due " << user << '\n';
  for (const std::string& user : seen->unreadable_users) std::cout << "unreadable " << user << '\n';
  return success;
}

int run_reseal(PostgresTokenStore& store, bool json) {
  const Result<ResealReport> resealed = store.reseal();
  if (!resealed) return report(resealed.error());
  if (json) {
    nlohmann::json unreadable = nlohmann::json::array();
    for (const UnreadableToken& token : resealed->unreadable) {
      unreadable.push_back({{"user_id", token.user_id}, {"message", token.error.error_message()}});
    }
    std::cout << nlohmann::json{{"resealed", resealed->resealed}, {"unreadable", unreadable}}.dump()
              << '\n';
  } else {
    std::cout << "resealed with the first key: " << resealed->resealed
              << "\nunreadable: " << resealed->unreadable.size() << '\n';
    for (const UnreadableToken& token : resealed->unreadable) {
      std::cout << "unreadable " << token.user_id << ": " << text(token.error.what()) << '\n';
    }
  }
  return resealed->unreadable.empty() ? success : invalid;
}

int run_refresh_due(const RefreshDueArgs& args) {
  RefreshPolicy policy;
  policy.min_age = std::chrono::hours(args.min_age_hours);
  policy.refresh_before = std::chrono::hours(24 * args.refresh_within_days);
  policy.clock_margin = std::chrono::seconds(args.clock_margin_seconds);
  std::optional<std::string> secret;
  if (!args.dry_run && !args.reseal) {
    secret = read_secret("INSTAGRAM_CLIENT_SECRET", args.connection.client_secret_file);
    if (!secret) {
      return usage_error(
          "the client secret comes from $INSTAGRAM_CLIENT_SECRET or --client-secret-file, never "
          "argv");
    }
  }
  Result<std::shared_ptr<PostgresTokenStore>> store =
      open_token_store(args.database, args.keys_file);
  if (!store) return report(store.error());
  if (args.dry_run) return run_dry(**store, policy, args.json);
  if (args.reseal) return run_reseal(**store, args.json);
  const Result<std::shared_ptr<const TokenExchanger>> exchanger = TokenExchanger::create_shared(
      args.connection.app_config(std::move(*secret)), args.connection.client_options());
  if (!exchanger) return report(exchanger.error());
  const bool terminal = !args.json && isatty(STDERR_FILENO) == 1;
  // Every outcome but a plain refresh, for the operator; printed after the pass.
  std::vector<RefreshEvent> notable;
  RefresherOptions options;
  options.policy = policy;
  options.max_in_flight = args.max_in_flight;
  options.lease = std::chrono::seconds(args.lease_seconds);
  options.on_event = [&notable](const RefreshEvent& event) {
    if (event.kind != RefreshEvent::Kind::refreshed) notable.push_back(event);
  };
  const TokenRefresher refresher(*exchanger, *store, std::move(options));
  // On a terminal, one line rewritten as answers are written; nothing in a log.
  const auto show_progress = [terminal](const RefreshReport& so_far) {
    if (!terminal) return;
    std::cerr << "\rrefreshed " << so_far.refreshed + so_far.recovered << ", need a new login "
              << so_far.reauthorization_needed << ", failed " << so_far.failed << std::flush;
  };
  const Result<RefreshReport> pass = refresher.run_once(show_progress);
  if (terminal) std::cerr << '\n';
  if (!pass) return report(pass.error());
  if (args.json) {
    nlohmann::json events = nlohmann::json::array();
    for (const RefreshEvent& event : notable) events.push_back(event_json(event));
    nlohmann::json answer = {{"refreshed", pass->refreshed},
                             {"recovered", pass->recovered},
                             {"failed", pass->failed},
                             {"reauthorization_needed", pass->reauthorization_needed},
                             {"unreadable", pass->unreadable},
                             {"superseded", pass->superseded},
                             {"events", events}};
    if (pass->stopped_by) answer["stopped_by"] = pass->stopped_by->what();
    std::cout << answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << "refreshed: " << pass->refreshed << "\nrecovered: " << pass->recovered
              << "\nfailed: " << pass->failed
              << "\nneed a new login: " << pass->reauthorization_needed
              << "\nunreadable: " << pass->unreadable << "\nsuperseded: " << pass->superseded
              << '\n';
    for (const RefreshEvent& event : notable) print_event(std::cout, event);
    if (pass->stopped_by) std::cout << "stopped: " << pass->stopped_by->what() << '\n';
  }
  if (pass->failed > 0 || pass->stopped_by) return 1;
  return pass->unreadable > 0 ? invalid : success;
}

}  // namespace

void add_refresh_due(CLI::App& app, int& result) {
  auto args = std::make_shared<RefreshDueArgs>();
  CLI::App* command = app.add_subcommand(
      "refresh-due", "refresh every due token in PostgreSQL once (a pass, for cron or a timer)");
  command->add_option("--database", args->database, "libpq conninfo of the token store")
      ->envname("INSTAGRAM_DATABASE_URL")
      ->required();
  command->add_option("--keys-file", args->keys_file,
                      "file holding the token keys, comma-separated (default: "
                      "$INSTAGRAM_TOKEN_KEYS)");
  command->add_option("--max-in-flight", args->max_in_flight, "refreshes at once (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  command
      ->add_option("--lease-seconds", args->lease_seconds,
                   "how long a token is this pass's while it is refreshed; a pass that dies "
                   "leaves its tokens to a later pass after this (> --timeout-ms)")
      ->check(greater_than_zero)
      ->capture_default_str();
  command
      ->add_option("--min-age-hours", args->min_age_hours,
                   "never refresh a token younger than this (Instagram refuses under 24)")
      ->check(CLI::Range(0L, 24L * 60))
      ->capture_default_str();
  command
      ->add_option("--refresh-within-days", args->refresh_within_days,
                   "refresh a token once it expires within this many days")
      ->check(CLI::Range(1L, 60L))
      ->capture_default_str();
  command
      ->add_option("--clock-margin-seconds", args->clock_margin_seconds,
                   "added to --min-age-hours, for Instagram's clock and the database's apart")
      ->check(CLI::Range(0L, 86'400L))
      ->capture_default_str();
  add_connection(*command, args->connection, true);
  auto* dry_run = command->add_flag(
      "--dry-run", args->dry_run,
      "say what is due (and what is leased, failing, dead or unreadable); lease and send nothing");
  command
      ->add_flag("--reseal", args->reseal,
                 "seal every token with the first key (after a rotation) instead of a pass")
      ->excludes(dry_run);
  command->add_flag("--json", args->json,
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
  command->callback([args, &result] {
    json_errors = args->json;
    result = run_refresh_due(*args);
  });
}

}  // namespace instagram::oauth::cli
