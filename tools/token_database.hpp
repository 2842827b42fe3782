// The token store as the command opens it (refresh-due, doctor --database): the keys from
// $INSTAGRAM_TOKEN_KEYS or a file, never argv, and a warning when argv carries the database's
// password.
#pragma once

#include <instagram/oauth/postgres/token_store.hpp>

#include <memory>
#include <string>

namespace instagram::oauth::cli {

// Errors: invalid_argument (no keys), and PostgresTokenStore::open's.
Result<std::shared_ptr<PostgresTokenStore>> open_token_store(const std::string& database,
                                                             const std::string& keys_file);

}  // namespace instagram::oauth::cli
