// The users of examples/web_login in this process's memory (one instance).
#include "web_login_users.hpp"

#include <map>
#include <mutex>
#include <utility>

using namespace instagram::oauth;

namespace {

class MemoryUsers final : public WebUsers {
 public:
  Result<void> remember(const std::string& user_id, const std::string& username) override {
    std::lock_guard<std::mutex> lock(mutex_);
    usernames_[user_id] = username;
    return {};
  }
  Result<std::optional<std::string>> username(const std::string& user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = usernames_.find(user_id);
    if (found == usernames_.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second);
  }
  Result<void> forget(const std::string& user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    usernames_.erase(user_id);
    return {};
  }
  Result<std::string> record_deletion(const std::string& user_id, std::int64_t issued_at,
                                      const std::string& code) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto [request, first] = requests_.emplace(std::make_pair(user_id, issued_at), code);
    if (first) deletions_[code] = std::chrono::system_clock::now();
    return request->second;
  }
  Result<std::optional<std::chrono::system_clock::time_point>> deletion(
      const std::string& code) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = deletions_.find(code);
    if (found == deletions_.end()) return std::optional<std::chrono::system_clock::time_point>();
    return std::optional<std::chrono::system_clock::time_point>(found->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> usernames_;
  std::map<std::string, std::chrono::system_clock::time_point> deletions_;
  std::map<std::pair<std::string, std::int64_t>, std::string> requests_;  // → code
};

}  // namespace

std::unique_ptr<WebUsers> memory_users() {
  return std::make_unique<MemoryUsers>();
}
