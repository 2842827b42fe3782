// The sessions of examples/web_login in this process's memory (one instance).
#include "web_login_sessions.hpp"

#include <instagram/oauth/state.hpp>

#include <map>
#include <mutex>

using namespace instagram::oauth;

namespace {

class MemorySessions final : public WebSessions {
 public:
  Result<std::string> start(const WebSession& session) override {
    Result<std::string> id = try_generate_state();
    if (!id) return id;
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_[*id] = session;
    return id;
  }
  Result<std::optional<WebSession>> find(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = sessions_.find(id);
    if (found == sessions_.end()) return std::optional<WebSession>();
    return std::optional<WebSession>(found->second);
  }
  Result<void> end(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(id);
    return {};
  }
  Result<std::size_t> end_user(const std::string& user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t ended = 0;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.user_id == user_id ? (++ended, sessions_.erase(it)) : std::next(it);
    }
    return ended;
  }
  Result<void> record_deletion(const std::string& code) override {
    std::lock_guard<std::mutex> lock(mutex_);
    deletions_[code] = std::chrono::system_clock::now();
    return {};
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
  std::map<std::string, WebSession> sessions_;
  std::map<std::string, std::chrono::system_clock::time_point> deletions_;
};

}  // namespace

std::unique_ptr<WebSessions> memory_sessions() {
  return std::make_unique<MemorySessions>();
}
