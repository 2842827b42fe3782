// The sessions of examples/web_login in this process's memory (one instance).
#include "web_login_sessions.hpp"

#include <instagram/oauth/state.hpp>

#include <map>
#include <mutex>
#include <utility>

using namespace instagram::oauth;

namespace {

class MemorySessions final : public WebSessions {
 public:
  Result<std::string> start(const WebSession& session, std::chrono::seconds lifetime) override {
    Result<std::string> id = try_generate_state();
    if (!id) return id;
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_[*id] = Started{session, std::chrono::system_clock::now() + lifetime};
    return id;
  }
  Result<std::optional<WebSession>> find(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = sessions_.find(id);
    if (found == sessions_.end()) return std::optional<WebSession>();
    if (found->second.expires_at <= std::chrono::system_clock::now()) {
      sessions_.erase(found);
      return std::optional<WebSession>();
    }
    return std::optional<WebSession>(found->second.session);
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
      it = it->second.session.user_id == user_id ? (++ended, sessions_.erase(it)) : std::next(it);
    }
    return ended;
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
  struct Started {
    WebSession session;
    std::chrono::system_clock::time_point expires_at;
  };
  std::mutex mutex_;
  std::map<std::string, Started> sessions_;
  std::map<std::string, std::chrono::system_clock::time_point> deletions_;
  std::map<std::pair<std::string, std::int64_t>, std::string> requests_;  // → code
};

}  // namespace

std::unique_ptr<WebSessions> memory_sessions() {
  return std::make_unique<MemorySessions>();
}
