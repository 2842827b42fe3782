// An EventLoop for tests that is not Asio: one thread waiting in poll() for the sockets the
// transport watches, its timer and a pipe that post() writes to. It shows the interface is
// enough for any loop, and lets the C++17 tests run the engine driven by a loop.
#pragma once

#include <instagram/oauth/event_loop.hpp>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace instagram::oauth::testing {

class PollLoop final : public EventLoop {
 public:
  PollLoop() {
    if (pipe(wake_) != 0) throw std::runtime_error("pipe() failed");
    thread_ = std::thread([this] { run(); });
  }
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;
  // finish() first: the loop is never destroyed on its own thread.
  ~PollLoop() override {
    finish();
    close(wake_[0]);
    close(wake_[1]);
  }

  // Runs what was posted so far (a transport's shut-down among it), then stops the thread.
  void finish() {
    if (!thread_.joinable()) return;
    post([this] { stopping_ = true; });
    thread_.join();
  }

  void drive(Driven* transport) override { driven_ = transport; }

  void post(std::function<void()> work) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      posted_.push_back(std::move(work));
    }
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = write(wake_[1], &byte, 1);
  }

  void watch(int socket, std::optional<Wait> wait) override {
    if (wait) {
      watched_[socket] = *wait;
    } else {
      watched_.erase(socket);
    }
  }

  void schedule(std::optional<std::chrono::milliseconds> delay) override {
    deadline_.reset();
    if (delay) deadline_ = std::chrono::steady_clock::now() + *delay;
  }

  bool runs_here() const override { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void run() {
    std::vector<pollfd> fds;
    while (!stopping_) {
      fds.assign(1, pollfd{wake_[0], POLLIN, 0});
      for (const auto& [socket, wait] : watched_) {
        const short events = static_cast<short>((wait != Wait::write ? POLLIN : 0) |
                                                (wait != Wait::read ? POLLOUT : 0));
        fds.push_back(pollfd{socket, events, 0});
      }
      int timeout = -1;
      if (deadline_) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            *deadline_ - std::chrono::steady_clock::now());
        timeout = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
      }
      poll(fds.data(), fds.size(), timeout);
      if ((fds[0].revents & POLLIN) != 0) {
        char bytes[64];
        [[maybe_unused]] const ssize_t read_bytes = read(wake_[0], bytes, sizeof bytes);
      }
      std::vector<std::function<void()>> work;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        work.swap(posted_);
      }
      for (auto& job : work) job();
      for (std::size_t i = 1; i < fds.size(); ++i) {
        // Still watched: an earlier call may have stopped watching it.
        if (fds[i].revents != 0 && driven_ != nullptr && watched_.count(fds[i].fd) != 0) {
          driven_->socket_ready(fds[i].fd);
        }
      }
      if (deadline_ && *deadline_ <= std::chrono::steady_clock::now()) {
        deadline_.reset();
        if (driven_ != nullptr) driven_->timer_expired();
      }
    }
  }

  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::vector<std::function<void()>> posted_;
  // The loop's thread only (and drive() before it sees any work):
  std::map<int, Wait> watched_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  Driven* driven_ = nullptr;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace instagram::oauth::testing
