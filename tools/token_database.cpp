#include "token_database.hpp"

#include "cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <vector>

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

Result<std::shared_ptr<PostgresTokenStore>> open_token_store(const std::string& database,
                                                             const std::string& keys_file) {
  const std::optional<std::string> keys = read_secret("INSTAGRAM_TOKEN_KEYS", keys_file);
  if (!keys) {
    return OAuthException(ErrorCategory::invalid_argument,
                          "the token keys come from $INSTAGRAM_TOKEN_KEYS or --keys-file "
                          "(comma-separated, the sealing key first), never argv");
  }
  if (database_password_in_argv(database)) {
    std::cerr << "warning: --database carries a password, which every user sees in ps; set "
                 "$INSTAGRAM_DATABASE_URL or use libpq's ~/.pgpass instead\n";
  }
  std::vector<std::string> key_list;
  for (std::size_t at = 0; at <= keys->size();) {
    const std::size_t comma = std::min(keys->find(',', at), keys->size());
    if (comma > at) key_list.push_back(keys->substr(at, comma - at));
    at = comma + 1;
  }
  return PostgresTokenStore::open(database, key_list);
}

}  // namespace instagram::oauth::cli
