// `doctor --database`: the token store as a fleet's instances see it. Whether it opens, whether
// the keys given open every row (and which key seals how many: a rotation's progress), and the
// tokens that need a look. Only counts, key ids and user ids are printed, never a token.
#include "cli.hpp"
#include "doctor_check.hpp"
#include "token_database.hpp"

#include <string>
#include <vector>

namespace instagram::oauth::cli {
namespace {

Check check_keys(PostgresTokenStore& store) {
  const Result<KeyCheck> checked = store.check_keys(5);
  if (!checked) return {"token_keys", Status::fail, text(checked.error().what()), {}};
  const std::vector<std::string> given = store.key_ids();
  std::string per_key;
  std::size_t sealed_by_others = 0;
  for (const auto& [key_id, rows] : checked->rows_by_key) {
    if (!per_key.empty()) per_key += ", ";
    per_key +=
        text(key_id) + (key_id == given.front() ? " (seals)" : "") + ": " + std::to_string(rows);
    if (key_id != given.front()) sealed_by_others += rows;
  }
  if (checked->unopened > 0) {
    std::string users;
    for (const UnreadableToken& token : checked->first_unopened) {
      users += (users.empty() ? "" : ", ") + token.user_id;
    }
    return {"token_keys", Status::fail,
            std::to_string(checked->unopened) + " of " + std::to_string(checked->rows) +
                " rows open with none of the keys given (users " + users +
                "; rows per key: " + per_key + ")",
            "a key was dropped before `refresh-due --reseal` moved its rows, or a row was "
            "altered: give the old key back (after the first), then run refresh-due --reseal"};
  }
  if (sealed_by_others > 0) {
    return {"token_keys", Status::warn,
            "every row opens; " + std::to_string(sealed_by_others) +
                " still sealed with an older key (rows per key: " + per_key + ")",
            "after a rotation: `refresh-due --reseal` seals them with the first key; keep the "
            "old key until then"};
  }
  return {"token_keys",
          Status::ok,
          "every row opens (" + std::to_string(checked->rows) + ", all sealed with the first key " +
              given.front() + ")",
          {}};
}

Check check_stored(PostgresTokenStore& store) {
  const Result<TokenStoreOverview> seen = store.overview({}, 5);
  if (!seen) return {"stored_tokens", Status::fail, text(seen.error().what()), {}};
  const std::string counts =
      std::to_string(seen->tokens) + " tokens: " + std::to_string(seen->due) + " due now, " +
      std::to_string(seen->failing) + " failing to refresh, " +
      std::to_string(seen->expiring_within_7_days) + " expiring within 7 days, " +
      std::to_string(seen->reauthorization_needed) + " need a new login, " +
      std::to_string(seen->unreadable) + " set aside unreadable";
  if (seen->failing > 0 || seen->unreadable > 0) {
    return {"stored_tokens", Status::warn, counts,
            "`refresh-due --dry-run` lists them; a pass's output names each failure"};
  }
  return {"stored_tokens", Status::ok, counts, {}};
}

}  // namespace

std::vector<Check> check_database(const std::string& database, const std::string& keys_file) {
  const Result<std::shared_ptr<PostgresTokenStore>> store = open_token_store(database, keys_file);
  if (!store) {
    return {{"database", Status::fail, text(store.error().what()),
             store.error().category() == ErrorCategory::invalid_argument
                 ? ""
                 : "is the server up, and does the role have the privileges the README lists?"},
            {"token_keys", Status::skip, "no database", {}},
            {"stored_tokens", Status::skip, "no database", {}}};
  }
  return {{"database", Status::ok, "PostgreSQL: the token table opens (schema 2)", {}},
          check_keys(**store),
          check_stored(**store)};
}

}  // namespace instagram::oauth::cli
