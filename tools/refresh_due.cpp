// `instagram-oauth refresh-due`: one refresh pass over the tokens in PostgreSQL, for cron
// or a systemd timer. Each instance of a fleet may run it at the same time.
#include "commands.hpp"

#include <instagram/oauth/postgres/token_store.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <iostream>

namespace instagram::oauth::cli {

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
