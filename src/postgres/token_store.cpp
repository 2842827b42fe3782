// PostgresTokenStore: the table, its statements and the token's sealed JSON.
#include <instagram/oauth/postgres/token_store.hpp>

#include "connection_pool.hpp"
#include "schema.hpp"
#include "seal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <utility>

namespace instagram::oauth {
namespace {

using Clock = std::chrono::system_clock;
using postgres::from_microseconds;
using postgres::microseconds;
using postgres::microseconds_text;
using postgres::Parameter;
using postgres::PgResult;

OAuthException failure(ErrorCategory category, std::string message) {
  return OAuthException(category, std::move(message));
}

std::optional<std::string> time_parameter(const std::optional<Clock::time_point>& when) {
  return when ? std::optional<std::string>(std::to_string(microseconds(*when))) : std::nullopt;
}

std::optional<ErrorCategory> category_named(std::string_view name) {
  for (int value = 0; value <= static_cast<int>(ErrorCategory::invalid_signature); ++value) {
    const auto category = static_cast<ErrorCategory>(value);
    if (to_string(category) == name) return category;
  }
  return std::nullopt;
}

std::string token_json(const StoredToken& stored) {
  const AccessToken& token = stored.token;
  nlohmann::json json = {{"access_token", token.access_token},
                         {"user_id", token.user_id},
                         {"permissions", token.permissions},
                         {"token_type", token.token_type}};
  if (token.expires_in) json["expires_in"] = token.expires_in->count();
  if (token.received_at) json["received_at"] = microseconds(*token.received_at);
  if (token.expires_at) json["expires_at"] = microseconds(*token.expires_at);
  if (stored.reauthorization_needed) {
    json["reauthorization_needed"] = *stored.reauthorization_needed;
  }
  if (stored.failure) {
    json["failure"] = {{"attempts", stored.failure->attempts},
                       {"category", to_string(stored.failure->category)},
                       {"message", stored.failure->message},
                       {"next_attempt", microseconds(stored.failure->next_attempt)}};
  }
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class T>
std::optional<T> member(const nlohmann::json& json, const char* name) {
  if (!json.contains(name)) return std::nullopt;
  const nlohmann::json& value = json[name];
  if constexpr (std::is_same_v<T, std::string>) {
    if (value.is_string()) return value.get<std::string>();
  } else {
    if (value.is_number_integer()) return value.get<T>();
  }
  return std::nullopt;
}

std::optional<StoredToken> token_from_json(std::string user_id, const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  std::optional<std::string> access_token = member<std::string>(json, "access_token");
  if (!access_token) return std::nullopt;
  StoredToken stored;
  stored.user_id = std::move(user_id);
  AccessToken& token = stored.token;
  token.access_token = std::move(*access_token);
  token.user_id = member<std::string>(json, "user_id").value_or("");
  token.token_type = member<std::string>(json, "token_type").value_or("");
  if (json.contains("permissions") && json["permissions"].is_array()) {
    for (const auto& permission : json["permissions"]) {
      if (permission.is_string()) token.permissions.push_back(permission.get<std::string>());
    }
  }
  if (const auto seconds = member<std::int64_t>(json, "expires_in")) {
    token.expires_in = std::chrono::seconds(*seconds);
  }
  if (const auto at = member<std::int64_t>(json, "received_at")) {
    token.received_at = from_microseconds(*at);
  }
  if (const auto at = member<std::int64_t>(json, "expires_at")) {
    token.expires_at = from_microseconds(*at);
  }
  stored.reauthorization_needed = member<std::string>(json, "reauthorization_needed");
  if (json.contains("failure") && json["failure"].is_object()) {
    const nlohmann::json& kept = json["failure"];
    RefreshFailure failed;
    failed.attempts = static_cast<unsigned>(member<std::int64_t>(kept, "attempts").value_or(1));
    failed.category = category_named(member<std::string>(kept, "category").value_or(""))
                          .value_or(ErrorCategory::transport);
    failed.message = member<std::string>(kept, "message").value_or("");
    failed.next_attempt = from_microseconds(member<std::int64_t>(kept, "next_attempt").value_or(0));
    stored.failure = std::move(failed);
  }
  return stored;
}

// Due by the server's clock ($1: the minimum age, $2: how long before expiry), unleased, and
// neither dead nor unreadable; the failure's next attempt is checked apart.
#define INSTAGRAM_OAUTH_DUE                                 \
  "NOT reauthorization_needed AND NOT unreadable "          \
  "AND received_at IS NOT NULL AND expires_at IS NOT NULL " \
  "AND " INSTAGRAM_OAUTH_NOW_US                             \
  " - received_at >= $1::bigint "                           \
  "AND expires_at > " INSTAGRAM_OAUTH_NOW_US                \
  " "                                                       \
  "AND expires_at - $2::bigint <= " INSTAGRAM_OAUTH_NOW_US  \
  " "                                                       \
  "AND (leased_until IS NULL OR leased_until <= " INSTAGRAM_OAUTH_NOW_US ")"

}  // namespace

struct PostgresTokenStore::Impl {
  std::unique_ptr<postgres::ConnectionPool> pool;
  std::vector<postgres::SealingKey> keys;
  // The server's clock minus this process's, as last measured (for now() when it is down).
  std::atomic<std::int64_t> clock_offset_us{0};

  Result<StoredToken> unsealed(const std::string& user_id, const std::string& key_id,
                               const std::string& sealed) const {
    for (const postgres::SealingKey& key : keys) {
      if (key.id != key_id) continue;
      const std::optional<std::string> plain = postgres::open_sealed(key, user_id, sealed);
      std::optional<StoredToken> stored = plain ? token_from_json(user_id, *plain) : std::nullopt;
      if (!stored) {
        return failure(ErrorCategory::invalid_signature,
                       "the stored token of user " + user_id +
                           " does not open with its key: the row was altered or copied");
      }
      return std::move(*stored);
    }
    return failure(ErrorCategory::invalid_signature, "the stored token of user " + user_id +
                                                         " was sealed with key " + key_id +
                                                         ", which is not among the keys given");
  }

  // Takes an unreadable row out of the due set (while it still carries `fence`).
  Result<PgResult> set_aside(const std::string& user_id, const std::string& fence) const {
    return pool->run(
        "UPDATE instagram_oauth_tokens SET unreadable = true, leased_until = NULL "
        "WHERE user_id = $1 AND fence = $2::bigint",
        {{user_id}, {fence}});
  }

  // The columns every write sets from the token: key_id, sealed, received_at, expires_at,
  // reauthorization_needed, next_attempt ($2 to $7 after the user id).
  Result<std::vector<Parameter>> row_of(const StoredToken& token) const {
    const std::optional<std::string> sealed =
        postgres::seal(keys.front(), token.user_id, token_json(token));
    if (!sealed) return failure(ErrorCategory::system, "libcrypto could not seal the token");
    std::optional<Clock::time_point> next_attempt;
    if (token.failure) next_attempt = token.failure->next_attempt;
    return std::vector<Parameter>{{token.user_id},
                                  {keys.front().id},
                                  {*sealed, true},
                                  {time_parameter(token.token.received_at)},
                                  {time_parameter(token.token.expires_at)},
                                  {std::string(token.reauthorization_needed ? "true" : "false")},
                                  {time_parameter(next_attempt)}};
  }
};

PostgresTokenStore::PostgresTokenStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresTokenStore::~PostgresTokenStore() = default;

// By value, as the public signature has been since it was added (changing it would break
// callers); only the derived keys are kept.
Result<std::shared_ptr<PostgresTokenStore>> PostgresTokenStore::open(
    std::string conninfo,
    std::vector<std::string> keys,  // NOLINT(performance-unnecessary-value-param)
    std::size_t connections) {
  if (keys.empty()) return failure(ErrorCategory::invalid_argument, "no key to seal tokens with");
  for (const std::string& key : keys) {
    if (key.size() < 32) {
      return failure(ErrorCategory::invalid_argument,
                     "a token key is shorter than 32 bytes (use 32 random bytes, e.g. base64)");
    }
  }
  auto impl = std::make_unique<Impl>();
  Result<std::unique_ptr<postgres::ConnectionPool>> pool =
      postgres::ConnectionPool::make(std::move(conninfo), connections);
  if (!pool) return pool.error();
  impl->pool = std::move(*pool);
  for (const std::string& key : keys) impl->keys.push_back(postgres::derive_sealing_key(key));
  if (Result<void> prepared = postgres::prepare_schema(*impl->pool); !prepared) {
    return prepared.error();
  }
  return std::shared_ptr<PostgresTokenStore>(new PostgresTokenStore(std::move(impl)));
}

Clock::time_point PostgresTokenStore::now() {
  const Result<PgResult> asked = impl_->pool->run("SELECT " INSTAGRAM_OAUTH_NOW_US, {});
  const std::int64_t local = microseconds(Clock::now());
  if (asked && PQntuples(asked->get()) == 1) {
    const std::int64_t server = std::strtoll(PQgetvalue(asked->get(), 0, 0), nullptr, 10);
    impl_->clock_offset_us = server - local;
    return from_microseconds(server);
  }
  return from_microseconds(local + impl_->clock_offset_us);
}

Result<void> PostgresTokenStore::save(const StoredToken& token) {
  if (std::string problem = stored_token_problem(token); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  Result<std::vector<Parameter>> row = impl_->row_of(token);
  if (!row) return row.error();
  Result<PgResult> saved = impl_->pool->run(
      "INSERT INTO instagram_oauth_tokens (user_id, key_id, sealed, received_at, expires_at, "
      "reauthorization_needed, next_attempt, leased_until, unreadable, fence) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, false, nextval('instagram_oauth_fence')) "
      "ON CONFLICT (user_id) DO UPDATE SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, "
      "received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at, "
      "reauthorization_needed = EXCLUDED.reauthorization_needed, "
      "next_attempt = EXCLUDED.next_attempt, leased_until = NULL, unreadable = false, "
      "fence = EXCLUDED.fence",
      *row);
  if (!saved) return saved.error();
  return {};
}

Result<std::optional<StoredToken>> PostgresTokenStore::load(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  Result<PgResult> found =
      impl_->pool->run("SELECT key_id, sealed FROM instagram_oauth_tokens WHERE user_id = $1",
                       {{std::string(user_id)}});
  if (!found) return found.error();
  if (PQntuples(found->get()) == 0) return std::optional<StoredToken>();
  Result<StoredToken> stored = impl_->unsealed(std::string(user_id), PQgetvalue(found->get(), 0, 0),
                                               postgres::bytea(found->get(), 0, 1));
  if (!stored) return stored.error();
  return std::optional<StoredToken>(std::move(*stored));
}

Result<bool> PostgresTokenStore::remove(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  Result<PgResult> removed =
      impl_->pool->run("DELETE FROM instagram_oauth_tokens WHERE user_id = $1 RETURNING 1",
                       {{std::string(user_id)}});
  if (!removed) return removed.error();
  return PQntuples(removed->get()) > 0;
}

Result<LeaseBatch> PostgresTokenStore::lease_due(const RefreshPolicy& policy, std::size_t limit,
                                                 std::chrono::seconds lease) {
  if (limit == 0 || lease.count() <= 0) {
    return failure(ErrorCategory::invalid_argument, "limit and lease must be positive");
  }
  // By the server's clock. Locked rows another instance is leasing are skipped, not waited
  // for: two instances never lease one token, and neither blocks the other.
  Result<PgResult> leased = impl_->pool->run(
      "WITH due AS (SELECT user_id FROM instagram_oauth_tokens WHERE " INSTAGRAM_OAUTH_DUE
      " "
      "AND (next_attempt IS NULL OR next_attempt <= " INSTAGRAM_OAUTH_NOW_US
      ") "
      "ORDER BY expires_at LIMIT $3::bigint FOR UPDATE SKIP LOCKED) "
      "UPDATE instagram_oauth_tokens t SET leased_until = " INSTAGRAM_OAUTH_NOW_US
      " + $4::bigint, fence = nextval('instagram_oauth_fence') FROM due "
      "WHERE t.user_id = due.user_id RETURNING t.user_id, t.key_id, t.sealed, t.fence",
      {{microseconds_text(policy.min_age + policy.clock_margin)},
       {microseconds_text(policy.refresh_before)},
       {std::to_string(limit)},
       {microseconds_text(lease)}});
  if (!leased) return leased.error();
  LeaseBatch batch;
  const int rows = PQntuples(leased->get());
  for (int row = 0; row < rows; ++row) {
    const std::string user_id = PQgetvalue(leased->get(), row, 0);
    const std::string fence = PQgetvalue(leased->get(), row, 3);
    Result<StoredToken> stored = impl_->unsealed(user_id, PQgetvalue(leased->get(), row, 1),
                                                 postgres::bytea(leased->get(), row, 2));
    if (!stored) {
      // Named and set aside; when setting it aside fails, its lease runs out and the next
      // pass names it again.
      (void)impl_->set_aside(user_id, fence);
      batch.unreadable.push_back(UnreadableToken{user_id, stored.error()});
      continue;
    }
    batch.leased.push_back(Lease{std::move(*stored), std::stoull(fence)});
  }
  return batch;
}

Result<std::optional<Lease>> PostgresTokenStore::lease_user(std::string_view user_id,
                                                            std::chrono::seconds lease) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  if (lease.count() <= 0) {
    return failure(ErrorCategory::invalid_argument, "limit and lease must be positive");
  }
  Result<PgResult> leased =
      impl_->pool->run("UPDATE instagram_oauth_tokens SET leased_until = " INSTAGRAM_OAUTH_NOW_US
                       " + $2::bigint, fence = nextval('instagram_oauth_fence') "
                       "WHERE user_id = $1 AND NOT reauthorization_needed AND NOT unreadable "
                       "AND (leased_until IS NULL OR leased_until <= " INSTAGRAM_OAUTH_NOW_US
                       ") "
                       "RETURNING key_id, sealed, fence",
                       {{std::string(user_id)}, {microseconds_text(lease)}});
  if (!leased) return leased.error();
  if (PQntuples(leased->get()) == 0) return std::optional<Lease>();
  const std::string fence = PQgetvalue(leased->get(), 0, 2);
  Result<StoredToken> stored = impl_->unsealed(
      std::string(user_id), PQgetvalue(leased->get(), 0, 0), postgres::bytea(leased->get(), 0, 1));
  if (!stored) {
    (void)impl_->set_aside(std::string(user_id), fence);
    return stored.error();
  }
  return std::optional<Lease>(Lease{std::move(*stored), std::stoull(fence)});
}

Result<bool> PostgresTokenStore::finish_lease(const Lease& lease, const StoredToken& result) {
  Result<std::vector<bool>> written = finish_leases({FinishedLease{lease, result}});
  if (!written) return written.error();
  return written->front();
}

// One UPDATE per chunk of rows (fleet_bench: a statement per token kept the pass's thread from
// leasing while answers waited). A row is written only while it still carries its lease's
// fence; two leases of one user (the first ran out meanwhile) cannot both hold.
Result<std::vector<bool>> PostgresTokenStore::finish_leases(
    const std::vector<FinishedLease>& finished) {
  for (const FinishedLease& one : finished) {
    if (std::string problem = stored_token_problem(one.result); !problem.empty()) {
      return failure(ErrorCategory::invalid_argument, std::move(problem));
    }
    if (one.result.user_id != one.lease.stored.user_id) {
      return failure(ErrorCategory::invalid_argument,
                     "a lease's result must be the same user's token");
    }
  }
  constexpr std::size_t columns = 8;
  constexpr std::size_t rows_per_statement = 1000;  // 8,000 parameters, under libpq's 65,535
  std::vector<bool> written(finished.size(), false);
  // Fences are unique across users: a lease handed in twice is sent once, its first time.
  std::map<std::uint64_t, std::size_t> index_of_fence;
  for (std::size_t first = 0; first < finished.size(); first += rows_per_statement) {
    const std::size_t last = std::min(finished.size(), first + rows_per_statement);
    std::vector<Parameter> parameters;
    parameters.reserve((last - first) * columns);
    std::string sql =
        "UPDATE instagram_oauth_tokens AS t SET key_id = v.key_id, sealed = v.sealed, "
        "received_at = v.received_at, expires_at = v.expires_at, "
        "reauthorization_needed = v.reauthorization_needed, next_attempt = v.next_attempt, "
        "leased_until = NULL, unreadable = false, fence = nextval('instagram_oauth_fence') "
        "FROM (VALUES ";
    for (std::size_t index = first; index < last; ++index) {
      if (!index_of_fence.emplace(finished[index].lease.fence, index).second) continue;
      Result<std::vector<Parameter>> row = impl_->row_of(finished[index].result);
      if (!row) return row.error();
      row->push_back({std::to_string(finished[index].lease.fence)});
      const std::size_t base = parameters.size();
      const auto placeholder = [&](std::size_t column, const char* type) {
        return "$" + std::to_string(base + column + 1) + "::" + type;
      };
      sql += base == 0 ? "(" : ", (";
      sql += placeholder(0, "text") + ", " + placeholder(1, "text") + ", " +
             placeholder(2, "bytea") + ", " + placeholder(3, "bigint") + ", " +
             placeholder(4, "bigint") + ", " + placeholder(5, "boolean") + ", " +
             placeholder(6, "bigint") + ", " + placeholder(7, "bigint") + ")";
      for (Parameter& parameter : *row) parameters.push_back(std::move(parameter));
    }
    if (parameters.empty()) continue;  // every one of them handed in before
    sql +=
        ") AS v(user_id, key_id, sealed, received_at, expires_at, reauthorization_needed, "
        "next_attempt, fence) WHERE t.user_id = v.user_id AND t.fence = v.fence "
        "RETURNING v.fence";
    Result<PgResult> updated = impl_->pool->run(sql.c_str(), parameters);
    if (!updated) return updated.error();
    const int rows = PQntuples(updated->get());
    for (int row = 0; row < rows; ++row) {
      const auto found =
          index_of_fence.find(std::strtoull(PQgetvalue(updated->get(), row, 0), nullptr, 10));
      if (found != index_of_fence.end()) written[found->second] = true;
    }
  }
  return written;
}

Result<TokenStoreOverview> PostgresTokenStore::overview(const RefreshPolicy& policy,
                                                        std::size_t list) {
  const std::vector<Parameter> due_parameters = {
      {microseconds_text(policy.min_age + policy.clock_margin)},
      {microseconds_text(policy.refresh_before)}};
  Result<PgResult> counted = impl_->pool->run(
      "SELECT count(*), "
      "count(*) FILTER (WHERE " INSTAGRAM_OAUTH_DUE
      " AND (next_attempt IS NULL OR next_attempt <= " INSTAGRAM_OAUTH_NOW_US
      ")), "
      "count(*) FILTER (WHERE leased_until > " INSTAGRAM_OAUTH_NOW_US
      "), "
      "count(*) FILTER (WHERE " INSTAGRAM_OAUTH_DUE " AND next_attempt > " INSTAGRAM_OAUTH_NOW_US
      "), "
      "count(*) FILTER (WHERE reauthorization_needed), count(*) FILTER (WHERE unreadable), "
      "count(*) FILTER (WHERE next_attempt IS NOT NULL), "
      "count(*) FILTER (WHERE expires_at > " INSTAGRAM_OAUTH_NOW_US
      " AND expires_at <= " INSTAGRAM_OAUTH_NOW_US
      " + 604800000000) "
      "FROM instagram_oauth_tokens",
      due_parameters);
  if (!counted) return counted.error();
  TokenStoreOverview overview;
  const auto number = [&](int column) {
    return static_cast<std::size_t>(
        std::strtoull(PQgetvalue(counted->get(), 0, column), nullptr, 10));
  };
  overview.tokens = number(0);
  overview.due = number(1);
  overview.leased = number(2);
  overview.waiting_after_failure = number(3);
  overview.reauthorization_needed = number(4);
  overview.unreadable = number(5);
  overview.failing = number(6);
  overview.expiring_within_7_days = number(7);
  std::vector<Parameter> listed = due_parameters;
  listed.push_back({std::to_string(list)});
  Result<PgResult> due =
      impl_->pool->run("SELECT user_id FROM instagram_oauth_tokens WHERE " INSTAGRAM_OAUTH_DUE
                       " AND (next_attempt IS NULL OR next_attempt <= " INSTAGRAM_OAUTH_NOW_US
                       ") "
                       "ORDER BY expires_at LIMIT $3::bigint",
                       listed);
  if (!due) return due.error();
  for (int row = 0; row < PQntuples(due->get()); ++row) {
    overview.due_users.emplace_back(PQgetvalue(due->get(), row, 0));
  }
  Result<PgResult> unreadable = impl_->pool->run(
      "SELECT user_id FROM instagram_oauth_tokens WHERE unreadable ORDER BY user_id "
      "LIMIT $1::bigint",
      {{std::to_string(list)}});
  if (!unreadable) return unreadable.error();
  for (int row = 0; row < PQntuples(unreadable->get()); ++row) {
    overview.unreadable_users.emplace_back(PQgetvalue(unreadable->get(), row, 0));
  }
  return overview;
}

std::vector<std::string> PostgresTokenStore::key_ids() const {
  std::vector<std::string> ids;
  for (const postgres::SealingKey& key : impl_->keys) ids.push_back(key.id);
  return ids;
}

Result<KeyCheck> PostgresTokenStore::check_keys(std::size_t list) {
  KeyCheck check;
  std::string after;  // keyset pagination by user id
  for (;;) {
    Result<PgResult> page = impl_->pool->run(
        "SELECT user_id, key_id, sealed FROM instagram_oauth_tokens WHERE user_id > $1 "
        "ORDER BY user_id LIMIT 1000",
        {{after}});
    if (!page) return page.error();
    const int rows = PQntuples(page->get());
    if (rows == 0) return check;
    for (int row = 0; row < rows; ++row) {
      const std::string user_id = PQgetvalue(page->get(), row, 0);
      const std::string key_id = PQgetvalue(page->get(), row, 1);
      after = user_id;
      ++check.rows;
      ++check.rows_by_key[key_id];
      Result<StoredToken> opened =
          impl_->unsealed(user_id, key_id, postgres::bytea(page->get(), row, 2));
      if (!opened) {
        ++check.unopened;
        if (check.first_unopened.size() < list) {
          check.first_unopened.push_back(UnreadableToken{user_id, opened.error()});
        }
      }
    }
  }
}

Result<ResealReport> PostgresTokenStore::reseal() {
  ResealReport report;
  std::string after;  // keyset pagination by user id: each row is looked at once
  for (;;) {
    Result<PgResult> page = impl_->pool->run(
        "SELECT user_id, key_id, sealed, fence FROM instagram_oauth_tokens "
        "WHERE (key_id <> $1 OR unreadable) AND user_id > $2 ORDER BY user_id LIMIT 500",
        {{impl_->keys.front().id}, {after}});
    if (!page) return page.error();
    const int rows = PQntuples(page->get());
    if (rows == 0) return report;
    for (int row = 0; row < rows; ++row) {
      const std::string user_id = PQgetvalue(page->get(), row, 0);
      const std::string fence = PQgetvalue(page->get(), row, 3);
      after = user_id;
      Result<StoredToken> stored = impl_->unsealed(user_id, PQgetvalue(page->get(), row, 1),
                                                   postgres::bytea(page->get(), row, 2));
      if (!stored) {
        Result<PgResult> aside = impl_->set_aside(user_id, fence);
        if (!aside) return aside.error();
        report.unreadable.push_back(UnreadableToken{user_id, stored.error()});
        continue;
      }
      const std::optional<std::string> sealed =
          postgres::seal(impl_->keys.front(), user_id, token_json(*stored));
      if (!sealed) return failure(ErrorCategory::system, "libcrypto could not seal the token");
      // The fence stays: a lease in flight still finishes.
      Result<PgResult> moved = impl_->pool->run(
          "UPDATE instagram_oauth_tokens SET key_id = $2, sealed = $3, unreadable = false "
          "WHERE user_id = $1 AND fence = $4::bigint RETURNING 1",
          {{user_id}, {impl_->keys.front().id}, {*sealed, true}, {fence}});
      if (!moved) return moved.error();
      if (PQntuples(moved->get()) > 0) ++report.resealed;
    }
  }
}

}  // namespace instagram::oauth
