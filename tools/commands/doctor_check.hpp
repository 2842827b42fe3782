// One line of `doctor`: its fixed name, a status, what it found, and a hint when there is
// something to do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth::cli {

enum class Status { ok, warn, fail, skip };

inline std::string_view status_name(Status status) {
  switch (status) {
    case Status::ok:
      return "ok";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "fail";
    case Status::skip:
      return "skip";
  }
  return "fail";
}

struct Check {
  std::string name;
  Status status = Status::ok;
  std::string detail;
  std::string hint;
};

// doctor --database (with the PostgreSQL component): "database", "token_keys" and
// "stored_tokens".
std::vector<Check> check_database(const std::string& database, const std::string& keys_file);

}  // namespace instagram::oauth::cli
