// `instagram-oauth refresh-due`: one refresh pass over the tokens in PostgreSQL, for cron
// or a systemd timer. Each instance of a fleet may run it at the same time.
#include "commands.hpp"

#include <instagram/oauth/postgres/token_store.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace instagram::oauth::cli {

namespace {

// A libpq conninfo with a password ("postgresql://user:pw@host/db", "... password=pw ...")
// that came from argv rather than $INSTAGRAM_DATABASE_URL.
bool database_password_in_argv(const std::string& conninfo) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread starts
  const char* from_environment = std::getenv("INSTAGRAM_DATABASE_URL");
  if (from_environment != nullptr && conninfo == from_environment) return false;
  const std::size_t scheme = conninfo.find("://");
  if (scheme != std::string::npos) {
    const std::size_t at = conninfo.find('@', scheme);
    const std::size_t slash = conninfo.find('/', scheme + 3);
    const std::size_t colon = conninfo.find(':', scheme + 3);
    if (at != std::string::npos && at < slash && colon < at) return true;
  }
  return conninfo.find("password=") != std::string::npos;
}

}  // namespace

int run_refresh_due(const RefreshDueArgs& args) {
  std::optional<std::string> secret =
      read_secret("INSTAGRAM_CLIENT_SECRET", args.connection.client_secret_file);
  if (!secret) {
    return usage_error(
        "the client secret comes from $INSTAGRAM_CLIENT_SECRET or --client-secret-file, never "
        "argv");
  }
  const std::optional<std::string> keys = read_secret("INSTAGRAM_TOKEN_KEYS", args.keys_file);
  if (!keys) {
    return usage_error(
        "the token keys come from $INSTAGRAM_TOKEN_KEYS or --keys-file (comma-separated, the "
        "sealing key first), never argv");
  }
  if (database_password_in_argv(args.database)) {
    std::cerr << "warning: --database carries a password, which every user sees in ps; set "
                 "$INSTAGRAM_DATABASE_URL or use libpq's ~/.pgpass instead\n";
  }
  std::vector<std::string> key_list;
  for (std::size_t at = 0; at <= keys->size();) {
    const std::size_t comma = std::min(keys->find(',', at), keys->size());
    if (comma > at) key_list.push_back(keys->substr(at, comma - at));
    at = comma + 1;
  }
  Result<std::shared_ptr<PostgresTokenStore>> store =
      PostgresTokenStore::open(args.database, key_list);
  if (!store) return report(store.error());
  const Result<std::shared_ptr<const TokenExchanger>> exchanger = TokenExchanger::create_shared(
      args.connection.app_config(std::move(*secret)), args.connection.client_options());
  if (!exchanger) return report(exchanger.error());
  const bool terminal = !args.json && isatty(STDERR_FILENO) == 1;
  const TokenRefresher refresher(*exchanger, *store, {}, args.max_in_flight);
  // On a terminal, one line rewritten as answers are saved; nothing in a log.
  const auto show_progress = [terminal](const RefreshReport& so_far) {
    if (!terminal) return;
    std::cerr << "\rrefreshed " << so_far.refreshed << ", need a new login "
              << so_far.reauthorization_needed << ", failed " << so_far.failed << std::flush;
  };
  const Result<RefreshReport> pass =
      refresher.run_once(std::chrono::system_clock::now(), show_progress);
  if (terminal) std::cerr << '\n';
  if (!pass) return report(pass.error());
  if (args.json) {
    nlohmann::json answer = {{"refreshed", pass->refreshed},
                             {"reauthorization_needed", pass->reauthorization_needed},
                             {"failed", pass->failed}};
    if (pass->stopped_by) answer["stopped_by"] = pass->stopped_by->what();
    std::cout << answer.dump() << '\n';
  } else {
    std::cout << "refreshed: " << pass->refreshed
              << "\nneed a new login: " << pass->reauthorization_needed
              << "\nfailed: " << pass->failed << '\n';
    if (pass->stopped_by) std::cout << "stopped: " << pass->stopped_by->what() << '\n';
  }
  return pass->failed > 0 || pass->stopped_by ? 1 : success;
}

}  // namespace instagram::oauth::cli
