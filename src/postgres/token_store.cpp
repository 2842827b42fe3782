// PostgresTokenStore over libpq; tokens sealed with AES-256-GCM from libcrypto.
#include <instagram/oauth/postgres/token_store.hpp>

#include <libpq-fe.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <utility>

namespace instagram::oauth {
namespace {

using Clock = std::chrono::system_clock;
constexpr int schema_version = 1;
constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

OAuthException failure(ErrorCategory category, std::string message) {
  return OAuthException(category, std::move(message));
}

std::int64_t microseconds(Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
}

Clock::time_point from_microseconds(std::int64_t value) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(value)));
}

std::array<unsigned char, 32> sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

// A sealing key: its id (stored beside each token it seals) and the AES-256 key.
struct Key {
  std::string id;
  std::array<unsigned char, 32> aes;
};

// The keys are long random secrets: SHA-256 of each is its AES key, and SHA-256 of a
// labelled copy names it without saying anything of it.
Key derive(const std::string& material) {
  Key key;
  key.aes = sha256(material);
  const auto id = sha256(std::string("instagram-oauth token key id\n") + material);
  constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < 8; ++i) {
    key.id += hex[id[i] >> 4];
    key.id += hex[id[i] & 15];
  }
  return key;
}

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* context) const noexcept { EVP_CIPHER_CTX_free(context); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

// nonce || ciphertext || tag, or nullopt when libcrypto fails.
std::optional<std::string> seal(const Key& key, std::string_view associated,
                                std::string_view plain) {
  std::string out(nonce_size + plain.size() + tag_size, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(bytes, static_cast<int>(nonce_size)) != 1) return std::nullopt;
  Cipher context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool sealed =
      context &&
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.aes.data(), bytes) == 1 &&
      EVP_EncryptUpdate(context.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_EncryptUpdate(context.get(), bytes + nonce_size, &length,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(context.get(), bytes + nonce_size + length, &final_length) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size),
                          bytes + nonce_size + plain.size()) == 1;
  if (!sealed) return std::nullopt;
  return out;
}

// The plain text, or nullopt when the tag does not verify (another key, an altered row).
std::optional<std::string> open_sealed(const Key& key, std::string_view associated,
                                       std::string_view sealed) {
  if (sealed.size() < nonce_size + tag_size) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::size_t cipher_size = sealed.size() - nonce_size - tag_size;
  std::string plain(cipher_size, '\0');
  std::array<unsigned char, tag_size> tag{};
  std::copy(bytes + nonce_size + cipher_size, bytes + sealed.size(), tag.begin());
  Cipher context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool opened =
      context &&
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.aes.data(), bytes) == 1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char*>(plain.data()), &length,
                        bytes + nonce_size, static_cast<int>(cipher_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(plain.data()) + length,
                          &final_length) == 1;
  if (!opened) return std::nullopt;
  return plain;
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
  if (stored.reauthorization_needed)
    json["reauthorization_needed"] = *stored.reauthorization_needed;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<StoredToken> token_from_json(std::string user_id, const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json.contains("access_token") || !json["access_token"].is_string()) {
    return std::nullopt;
  }
  StoredToken stored;
  stored.user_id = std::move(user_id);
  AccessToken& token = stored.token;
  token.access_token = json["access_token"].get<std::string>();
  token.user_id = json.value("user_id", std::string());
  token.token_type = json.value("token_type", std::string());
  if (json.contains("permissions") && json["permissions"].is_array()) {
    for (const auto& permission : json["permissions"]) {
      if (permission.is_string()) token.permissions.push_back(permission.get<std::string>());
    }
  }
  if (json.contains("expires_in") && json["expires_in"].is_number_integer()) {
    token.expires_in = std::chrono::seconds(json["expires_in"].get<std::int64_t>());
  }
  if (json.contains("received_at") && json["received_at"].is_number_integer()) {
    token.received_at = from_microseconds(json["received_at"].get<std::int64_t>());
  }
  if (json.contains("expires_at") && json["expires_at"].is_number_integer()) {
    token.expires_at = from_microseconds(json["expires_at"].get<std::int64_t>());
  }
  if (json.contains("reauthorization_needed") && json["reauthorization_needed"].is_string()) {
    stored.reauthorization_needed = json["reauthorization_needed"].get<std::string>();
  }
  return stored;
}

struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A statement's parameters: text, or binary for the sealed bytes; nullopt is SQL NULL.
struct Parameter {
  std::optional<std::string> value;
  bool binary = false;
};

}  // namespace

struct PostgresTokenStore::Impl {
  std::string conninfo;
  std::string password;  // masked out of every message
  std::vector<Key> keys;
  std::size_t max_connections = 4;
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<PGconn*> idle;
  std::size_t made = 0;

  ~Impl() {
    for (PGconn* connection : idle) PQfinish(connection);
  }

  // libpq's message: its first line, the password masked.
  std::string said(const char* message) const {
    std::string text = message != nullptr ? message : "";
    text = text.substr(0, text.find('\n'));
    if (!password.empty()) {
      for (std::size_t at = text.find(password); at != std::string::npos;
           at = text.find(password, at)) {
        text.replace(at, password.size(), "(redacted)");
      }
    }
    return text;
  }

  // A connection for one call, made when none is idle and the pool has room (or always,
  // with `fresh`, in place of one that broke). `pooled` says whether it was used before.
  Result<PGconn*> borrow(bool fresh, bool& pooled) {
    std::unique_lock<std::mutex> lock(mutex);
    returned.wait(lock, [&] { return (!fresh && !idle.empty()) || made < max_connections; });
    pooled = !fresh && !idle.empty();
    if (pooled) {
      PGconn* connection = idle.back();
      idle.pop_back();
      return connection;
    }
    ++made;
    lock.unlock();
    PGconn* connection = PQconnectdb(conninfo.c_str());
    if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) {
      OAuthException error =
          failure(ErrorCategory::transport,
                  "PostgreSQL: cannot connect: " +
                      said(connection != nullptr ? PQerrorMessage(connection) : "out of memory"));
      PQfinish(connection);
      lock.lock();
      --made;
      returned.notify_one();
      return error;
    }
    // The server's notices ("relation … already exists, skipping") are not the caller's
    // business; libpq would print them to stderr.
    PQsetNoticeProcessor(
        connection, [](void*, const char*) {}, nullptr);
    return connection;
  }

  // Back to the pool; a broken one is closed, and the next call makes another.
  void give_back(PGconn* connection) {
    std::lock_guard<std::mutex> lock(mutex);
    if (PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE) {
      idle.push_back(connection);
    } else {
      PQfinish(connection);
      --made;
    }
    returned.notify_one();
  }

  OAuthException error_of(PGconn* connection, const PGresult* result) const {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    const std::string message =
        "PostgreSQL: " +
        said(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection));
    if (PQstatus(connection) != CONNECTION_OK || code.rfind("08", 0) == 0 ||
        code.rfind("57P0", 0) == 0 || code.empty()) {
      return failure(ErrorCategory::transport, message);
    }
    if (code == "57014") return failure(ErrorCategory::timeout, message);
    return failure(ErrorCategory::system, message);
  }

  // Runs one statement on a pooled connection (several, without parameters, as a script in
  // one transaction); the rows, or the error mapped.
  Result<PgResult> run(const char* sql, const std::vector<Parameter>& parameters,
                       bool script = false) {
    bool stale = false;
    Result<PgResult> result = run_once(sql, parameters, script, false, stale);
    // A pooled connection found broken (the server restarted since it was last used) is
    // replaced and the statement sent once more. Every statement here may run twice: saves
    // are upserts, a lease taken twice only delays those tokens until it runs out.
    if (!result && stale) result = run_once(sql, parameters, script, true, stale);
    return result;
  }

  Result<PgResult> run_once(const char* sql, const std::vector<Parameter>& parameters, bool script,
                            bool fresh, bool& stale) {
    bool pooled = false;
    Result<PGconn*> connection = borrow(fresh, pooled);
    if (!connection) return connection.error();
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const Parameter& parameter : parameters) {
      values.push_back(parameter.value ? parameter.value->data() : nullptr);
      lengths.push_back(parameter.value ? static_cast<int>(parameter.value->size()) : 0);
      formats.push_back(parameter.binary ? 1 : 0);
    }
    PgResult result(script
                        ? PQexec(*connection, sql)
                        : PQexecParams(*connection, sql, static_cast<int>(parameters.size()),
                                       nullptr, values.data(), lengths.data(), formats.data(), 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      stale = pooled && PQstatus(*connection) != CONNECTION_OK;
      OAuthException error = error_of(*connection, result.get());
      give_back(*connection);
      return error;
    }
    give_back(*connection);
    return result;
  }

  Result<StoredToken> unsealed(const std::string& user_id, const std::string& key_id,
                               const std::string& sealed) const {
    for (const Key& key : keys) {
      if (key.id != key_id) continue;
      const std::optional<std::string> plain = open_sealed(key, user_id, sealed);
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

  // The row's sealed bytes, from libpq's text form of bytea.
  static std::string bytea(const PGresult* result, int row, int column) {
    std::size_t size = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result, row, column)), &size);
    std::string out(reinterpret_cast<const char*>(bytes), bytes != nullptr ? size : 0);
    PQfreemem(bytes);
    return out;
  }
};

namespace {

constexpr const char* create_schema = R"sql(
SELECT pg_advisory_xact_lock(7274277461);
CREATE TABLE IF NOT EXISTS instagram_oauth_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS instagram_oauth_tokens (
  user_id text PRIMARY KEY,
  key_id text NOT NULL,
  sealed bytea NOT NULL,
  received_at bigint,
  expires_at bigint,
  reauthorization_needed boolean NOT NULL DEFAULT false,
  leased_until bigint);
CREATE INDEX IF NOT EXISTS instagram_oauth_tokens_due
  ON instagram_oauth_tokens (expires_at) WHERE NOT reauthorization_needed;
INSERT INTO instagram_oauth_schema (version)
  SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM instagram_oauth_schema);
)sql";

}  // namespace

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
  if (connections == 0) {
    return failure(ErrorCategory::invalid_argument, "the connection pool needs at least one");
  }
  auto impl = std::make_unique<Impl>();
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    // libpq's message may quote the conninfo: only its kind is said.
    PQfreemem(parse_error);
    return failure(ErrorCategory::invalid_argument,
                   "the PostgreSQL conninfo cannot be read (a \"postgresql://\" URI or "
                   "\"key=value\" pairs)");
  }
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
      impl->password = option->val;
    }
  }
  PQconninfoFree(options);
  impl->conninfo = std::move(conninfo);
  impl->max_connections = connections;
  for (const std::string& key : keys) impl->keys.push_back(derive(key));
  Result<PgResult> created = impl->run(create_schema, {}, true);
  if (!created) return created.error();
  Result<PgResult> version = impl->run("SELECT version FROM instagram_oauth_schema", {});
  if (!version) return version.error();
  const long found = PQntuples(version->get()) == 1
                         ? std::strtol(PQgetvalue(version->get(), 0, 0), nullptr, 10)
                         : 0;
  if (found != schema_version) {
    return failure(ErrorCategory::system, "the table instagram_oauth_tokens has schema version " +
                                              std::to_string(found) + "; this library knows " +
                                              std::to_string(schema_version));
  }
  return std::shared_ptr<PostgresTokenStore>(new PostgresTokenStore(std::move(impl)));
}

Result<void> PostgresTokenStore::save(const StoredToken& token) {
  if (std::string problem = stored_token_problem(token); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  const std::optional<std::string> sealed =
      seal(impl_->keys.front(), token.user_id, token_json(token));
  if (!sealed) return failure(ErrorCategory::system, "libcrypto could not seal the token");
  const auto time = [](const std::optional<Clock::time_point>& when) {
    return when ? std::optional<std::string>(std::to_string(microseconds(*when))) : std::nullopt;
  };
  Result<PgResult> saved = impl_->run(
      "INSERT INTO instagram_oauth_tokens (user_id, key_id, sealed, received_at, expires_at, "
      "reauthorization_needed, leased_until) VALUES ($1, $2, $3, $4, $5, $6, NULL) "
      "ON CONFLICT (user_id) DO UPDATE SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, "
      "received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at, "
      "reauthorization_needed = EXCLUDED.reauthorization_needed, leased_until = NULL",
      {{token.user_id},
       {impl_->keys.front().id},
       {*sealed, true},
       {time(token.token.received_at)},
       {time(token.token.expires_at)},
       {std::string(token.reauthorization_needed ? "true" : "false")}});
  if (!saved) return saved.error();
  return {};
}

Result<std::optional<StoredToken>> PostgresTokenStore::load(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  Result<PgResult> found =
      impl_->run("SELECT key_id, sealed FROM instagram_oauth_tokens WHERE user_id = $1",
                 {{std::string(user_id)}});
  if (!found) return found.error();
  if (PQntuples(found->get()) == 0) return std::optional<StoredToken>();
  Result<StoredToken> stored = impl_->unsealed(std::string(user_id), PQgetvalue(found->get(), 0, 0),
                                               Impl::bytea(found->get(), 0, 1));
  if (!stored) return stored.error();
  return std::optional<StoredToken>(std::move(*stored));
}

Result<bool> PostgresTokenStore::remove(std::string_view user_id) {
  if (std::string problem = stored_user_id_problem(user_id); !problem.empty()) {
    return failure(ErrorCategory::invalid_argument, std::move(problem));
  }
  Result<PgResult> removed =
      impl_->run("DELETE FROM instagram_oauth_tokens WHERE user_id = $1 RETURNING 1",
                 {{std::string(user_id)}});
  if (!removed) return removed.error();
  return PQntuples(removed->get()) > 0;
}

Result<std::vector<StoredToken>> PostgresTokenStore::lease_due(Clock::time_point now,
                                                               const RefreshPolicy& policy,
                                                               std::size_t limit,
                                                               std::chrono::seconds lease) {
  if (limit == 0 || lease.count() <= 0) {
    return failure(ErrorCategory::invalid_argument, "limit and lease must be positive");
  }
  const auto us = [](auto duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(duration).count());
  };
  // Locked rows another instance is leasing are skipped, not waited for: two instances
  // never lease one token, and neither blocks the other.
  Result<PgResult> leased = impl_->run(
      "WITH due AS (SELECT user_id FROM instagram_oauth_tokens "
      "WHERE NOT reauthorization_needed AND received_at IS NOT NULL AND expires_at IS NOT NULL "
      "AND $1::bigint - received_at >= $2::bigint AND expires_at > $1::bigint "
      "AND expires_at - $3::bigint <= $1::bigint "
      "AND (leased_until IS NULL OR leased_until <= $1::bigint) "
      "ORDER BY expires_at LIMIT $4::bigint FOR UPDATE SKIP LOCKED) "
      "UPDATE instagram_oauth_tokens t SET leased_until = $5::bigint FROM due "
      "WHERE t.user_id = due.user_id RETURNING t.user_id, t.key_id, t.sealed",
      {{std::to_string(microseconds(now))},
       {us(policy.min_age)},
       {us(policy.refresh_before)},
       {std::to_string(limit)},
       {std::to_string(microseconds(now + lease))}});
  if (!leased) return leased.error();
  std::vector<StoredToken> tokens;
  const int rows = PQntuples(leased->get());
  for (int row = 0; row < rows; ++row) {
    Result<StoredToken> stored =
        impl_->unsealed(PQgetvalue(leased->get(), row, 0), PQgetvalue(leased->get(), row, 1),
                        Impl::bytea(leased->get(), row, 2));
    if (!stored) return stored.error();
    tokens.push_back(std::move(*stored));
  }
  return tokens;
}

}  // namespace instagram::oauth
