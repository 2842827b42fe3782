// What examples/web_login keeps of its users besides their tokens and sessions (those are the
// library's TokenStore and SessionStore): the username a page greets them by, and the
// data-deletion requests Meta's status URL asks about. In this process's memory, or in
// PostgreSQL so that every instance of a fleet serves every user.
#pragma once

#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

// Thread-safe. Errors: whatever the storage reports (PostgreSQL: transport, system).
class WebUsers {
 public:
  virtual ~WebUsers() = default;
  // The username of a user who signed in, kept until forget().
  virtual instagram::oauth::Result<void> remember(const std::string& user_id,
                                                  const std::string& username) = 0;
  virtual instagram::oauth::Result<std::optional<std::string>> username(
      const std::string& user_id) = 0;
  // Meta's deauthorize and data deletion: nothing of the user stays.
  virtual instagram::oauth::Result<void> forget(const std::string& user_id) = 0;
  // A data-deletion request carried out now (Meta's user_id and issued_at name it), under
  // `code`; the code it holds: `code`, or the earlier one when the same request comes again
  // (a replay within its hour gets the same answer, not a new record).
  virtual instagram::oauth::Result<std::string> record_deletion(const std::string& user_id,
                                                                std::int64_t issued_at,
                                                                const std::string& code) = 0;
  virtual instagram::oauth::Result<std::optional<std::chrono::system_clock::time_point>> deletion(
      const std::string& code) = 0;
};

std::unique_ptr<WebUsers> memory_users();

#ifdef WEB_LOGIN_WITH_POSTGRES
// Two tables, created on first use: web_login_users and web_login_deletions. Errors:
// transport (cannot connect).
instagram::oauth::Result<std::unique_ptr<WebUsers>> postgres_users(const std::string& conninfo);
#endif
