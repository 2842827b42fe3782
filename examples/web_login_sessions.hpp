// What examples/web_login keeps of its users besides their tokens: sessions, and the
// data-deletion requests Meta's status URL asks about. In this process's memory, or in
// PostgreSQL so that every instance of a fleet serves every user.
#pragma once

#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct WebSession {
  std::string user_id;
  std::string username;
  std::string logout_token;  // in the page's logout form: a cross-site POST does not have it
};

// Thread-safe. Errors: whatever the storage reports (PostgreSQL: transport, system).
class WebSessions {
 public:
  virtual ~WebSessions() = default;
  // A new session's id: 256 random bits, the cookie's value. It ends after `lifetime`.
  virtual instagram::oauth::Result<std::string> start(const WebSession& session,
                                                      std::chrono::seconds lifetime) = 0;
  // None once ended or expired.
  virtual instagram::oauth::Result<std::optional<WebSession>> find(const std::string& id) = 0;
  virtual instagram::oauth::Result<void> end(const std::string& id) = 0;
  // Meta's deauthorize and data deletion: every session of the user ends.
  virtual instagram::oauth::Result<std::size_t> end_user(const std::string& user_id) = 0;
  // A data-deletion request carried out now (Meta's user_id and issued_at name it), under
  // `code`; the code it holds: `code`, or the earlier one when the same request comes again
  // (a replay within its hour gets the same answer, not a new record).
  virtual instagram::oauth::Result<std::string> record_deletion(const std::string& user_id,
                                                                std::int64_t issued_at,
                                                                const std::string& code) = 0;
  virtual instagram::oauth::Result<std::optional<std::chrono::system_clock::time_point>> deletion(
      const std::string& code) = 0;
};

std::unique_ptr<WebSessions> memory_sessions();

#ifdef WEB_LOGIN_WITH_POSTGRES
// Two tables, created on first use: web_login_sessions (by the SHA-256 of the id, so that a
// read of the database gives no one a session) and web_login_deletions. Errors: transport
// (cannot connect).
instagram::oauth::Result<std::unique_ptr<WebSessions>> postgres_sessions(
    const std::string& conninfo);
#endif
