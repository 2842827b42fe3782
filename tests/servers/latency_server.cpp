#include "latency_server.hpp"

#include "loopback.hpp"

#include <instagram/oauth/detail/url.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace instagram::oauth::testing {
namespace {

using Clock = std::chrono::steady_clock;

// One client connection: what it sent, and when its request is due an answer.
struct Connection {
  int fd = -1;
  std::string input;
  bool answering = false;  // a request is read whole and waits for its answer
  Clock::time_point due;
  std::string answer;
  Clock::time_point last_activity;
};

std::size_t content_length(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
}

std::string http_answer(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Bad Request") +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

}  // namespace

struct LatencyServer::Impl {
  LatencyServerOptions options;
  int listener = -1;
  int port = 0;
  int wake[2] = {-1, -1};  // stop() writes here to end the loop
  std::thread thread;
  std::atomic<bool> stopped{false};

  mutable std::mutex mutex;  // the counters below
  std::size_t accepted = 0;
  std::size_t request_count = 0;
  std::size_t in_flight = 0;
  std::size_t peak = 0;
  std::map<std::string, std::size_t> seen;

  explicit Impl(LatencyServerOptions server_options) : options(std::move(server_options)) {
    const LoopbackListener bound = listen_on_loopback(4096, SOCK_NONBLOCK);
    listener = bound.fd;
    port = bound.port;
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
      ::close(listener);
      throw std::runtime_error("the latency server could not make its wake-up pipe");
    }
    thread = std::thread([this] { run(); });
  }

  ~Impl() {
    stop();
    thread.join();
    ::close(listener);
    ::close(wake[0]);
    ::close(wake[1]);
  }

  void stop() {
    if (stopped.exchange(true)) return;
    const char byte = 1;
    (void)!::write(wake[1], &byte, 1);
  }

  // The answer to one request, or empty when the connection is to die without one.
  std::string read_request(std::string_view head, std::string_view body) {
    const std::size_t space = head.find(' ');
    const std::string_view method = head.substr(0, space);
    std::string_view target = head.substr(space + 1, head.find(' ', space + 1) - space - 1);
    std::string_view query;
    if (const std::size_t question = target.find('?'); question != std::string_view::npos) {
      query = target.substr(question + 1);
      target = target.substr(0, question);
    }
    std::string code;
    std::string token;
    detail::for_each_query_param(method == "POST" ? body : query,
                                 [&](std::string_view name, std::string_view value) {
                                   if (name == "code") code = detail::form_decode(value);
                                   if (name == "access_token") token = detail::form_decode(value);
                                 });
    // A multipart body: the part named "code", up to the next boundary.
    constexpr std::string_view code_part = "name=\"code\"\r\n\r\n";
    if (const std::size_t part = body.find(code_part); part != std::string_view::npos) {
      const std::size_t start = part + code_part.size();
      code = std::string(body.substr(start, body.find("\r\n--", start) - start));
    }
    std::size_t number = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      number = ++request_count;
      ++seen[method == "POST" ? code : token];
    }
    if (number == options.die_after_reading) return {};
    if (method == "POST" && target == "/oauth/access_token" && !code.empty()) {
      return http_answer(
          200, R"({"access_token":"IGQVJ)" + code + R"(","user_id":)" + options.user_id + "}");
    }
    if (method == "GET" && (target == "/access_token" || target == "/refresh_access_token") &&
        !token.empty()) {
      return http_answer(200, R"({"access_token":"IGQWR)" + token +
                                  R"(","token_type":"bearer","expires_in":5183944})");
    }
    return http_answer(400, R"({"error_type":"OAuthException","code":400,)"
                            R"("error_message":"Unsupported request"})");
  }

  // Reads what arrived; false when the connection is to be closed.
  bool on_readable(Connection& connection) {
    char buffer[16384];
    while (true) {
      const ssize_t got = ::recv(connection.fd, buffer, sizeof buffer, 0);
      if (got == 0) return false;
      if (got < 0) break;
      connection.input.append(buffer, static_cast<std::size_t>(got));
    }
    connection.last_activity = Clock::now();
    if (connection.answering) return true;
    const std::size_t end = connection.input.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    const std::size_t body_size = content_length(std::string_view(connection.input).substr(0, end));
    if (connection.input.size() < end + 4 + body_size) return true;
    const std::string_view whole(connection.input);
    std::string answer = read_request(whole.substr(0, end), whole.substr(end + 4, body_size));
    connection.input.erase(0, end + 4 + body_size);
    if (answer.empty()) return false;  // processed, then died
    connection.answer = std::move(answer);
    connection.answering = true;
    connection.due = Clock::now() + options.latency;
    std::lock_guard<std::mutex> lock(mutex);
    peak = std::max(peak, ++in_flight);
    return true;
  }

  void answer(Connection& connection) {
    std::size_t sent = 0;
    while (sent < connection.answer.size()) {
      const ssize_t wrote = ::send(connection.fd, connection.answer.data() + sent,
                                   connection.answer.size() - sent, MSG_NOSIGNAL);
      if (wrote < 0 && errno == EAGAIN) {
        pollfd writable{connection.fd, POLLOUT, 0};
        ::poll(&writable, 1, 100);
        continue;
      }
      if (wrote <= 0) break;
      sent += static_cast<std::size_t>(wrote);
    }
    connection.answering = false;
    connection.last_activity = Clock::now();
    std::lock_guard<std::mutex> lock(mutex);
    --in_flight;
  }

  void close_connection(Connection& connection) {
    if (connection.answering) {
      std::lock_guard<std::mutex> lock(mutex);
      --in_flight;
    }
    ::close(connection.fd);
    connection.fd = -1;
  }

  void run() {
    std::vector<Connection> connections;
    std::vector<pollfd> waiting;
    while (!stopped) {
      const Clock::time_point now = Clock::now();
      Clock::time_point next = now + std::chrono::seconds(1);
      for (const Connection& connection : connections) {
        if (connection.answering) next = std::min(next, connection.due);
        if (!connection.answering && options.idle_timeout.count() > 0) {
          next = std::min(next, connection.last_activity + options.idle_timeout);
        }
      }
      waiting.clear();
      waiting.push_back({wake[0], POLLIN, 0});
      waiting.push_back({listener, POLLIN, 0});
      for (const Connection& connection : connections)
        waiting.push_back({connection.fd, POLLIN, 0});
      const auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
      if (::poll(waiting.data(), waiting.size(), static_cast<int>(std::max<long long>(wait, 0))) <
          0) {
        continue;
      }
      if (waiting[0].revents != 0) break;
      if (waiting[1].revents & POLLIN) {
        while (true) {
          const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
          if (client < 0) break;
          const int on = 1;
          ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
          Connection connection;
          connection.fd = client;
          connection.last_activity = Clock::now();
          connections.push_back(std::move(connection));
          std::lock_guard<std::mutex> lock(mutex);
          ++accepted;
        }
      }
      for (std::size_t i = 2; i < waiting.size(); ++i) {
        Connection& connection = connections[i - 2];
        if ((waiting[i].revents & (POLLIN | POLLHUP | POLLERR)) && !on_readable(connection)) {
          close_connection(connection);
        }
      }
      const Clock::time_point after = Clock::now();
      for (Connection& connection : connections) {
        if (connection.fd < 0) continue;
        if (connection.answering && connection.due <= after) answer(connection);
        if (!connection.answering && options.idle_timeout.count() > 0 &&
            after - connection.last_activity >= options.idle_timeout) {
          close_connection(connection);
        }
      }
      connections.erase(std::remove_if(connections.begin(), connections.end(),
                                       [](const Connection& c) { return c.fd < 0; }),
                        connections.end());
    }
    for (Connection& connection : connections) close_connection(connection);
  }
};

LatencyServer::LatencyServer(LatencyServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
LatencyServer::~LatencyServer() = default;

std::string LatencyServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

Endpoints LatencyServer::endpoints() const {
  return Endpoints{}.at(base_url());
}

AppConfig LatencyServer::app_config() const {
  return AppConfig{"990602627938098", "latency-client-secret-7Q2",
                   "https://socialsizzle.herokuapp.com/auth/", endpoints()};
}

std::size_t LatencyServer::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t LatencyServer::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->request_count;
}

std::size_t LatencyServer::peak_in_flight() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->peak;
}

std::size_t LatencyServer::times_seen(const std::string& value) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto found = impl_->seen.find(value);
  return found == impl_->seen.end() ? 0 : found->second;
}

void LatencyServer::stop() {
  impl_->stop();
}

}  // namespace instagram::oauth::testing
