#include "reset_server.hpp"

#include "loopback.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace instagram::oauth::testing {

struct ResetServer::Impl {
  int listener = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::thread thread;
  mutable std::mutex mutex;
  std::size_t accepted = 0;
  std::string first_line;

  Impl() {
    const LoopbackListener bound = listen_on_loopback(16);
    listener = bound.fd;
    port = bound.port;
    thread = std::thread([this] { run(); });
  }

  ~Impl() {
    stopping = true;
    thread.join();
    ::close(listener);
  }

  void run() {
    while (!stopping) {
      pollfd waiting{listener, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      {
        std::lock_guard<std::mutex> lock(mutex);
        ++accepted;
      }
      std::string request;
      char buffer[4096];
      pollfd reading{client, POLLIN, 0};
      while (request.find("\r\n\r\n") == std::string::npos && ::poll(&reading, 1, 2000) > 0) {
        const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
        if (got <= 0) break;
        request.append(buffer, static_cast<std::size_t>(got));
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (first_line.empty()) first_line = request.substr(0, request.find("\r\n"));
      }
      const linger abort_on_close{1, 0};
      ::setsockopt(client, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      ::close(client);  // RST, not FIN
    }
  }
};

ResetServer::ResetServer() : impl_(std::make_unique<Impl>()) {}
ResetServer::~ResetServer() = default;
std::string ResetServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::size_t ResetServer::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->accepted;
}

std::string ResetServer::first_line() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->first_line;
}

}  // namespace instagram::oauth::testing
