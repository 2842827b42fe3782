#include "loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <stdexcept>
#include <string>

namespace instagram::oauth::testing {
namespace {

// A TCP socket bound to 127.0.0.1 at a port the kernel picks, with the given SOL_SOCKET
// options set, listening when `backlog` > 0.
LoopbackListener bind_loopback(int backlog, int flags, std::initializer_list<int> options) {
  LoopbackListener listener;
  listener.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
  bool configured = listener.fd >= 0;
  const int yes = 1;
  for (const int option : options) {
    configured = configured && ::setsockopt(listener.fd, SOL_SOCKET, option, &yes, sizeof yes) == 0;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (!configured ||
      ::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      (backlog > 0 && ::listen(listener.fd, backlog) != 0) ||
      ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listener.fd >= 0) ::close(listener.fd);
    throw std::runtime_error("no socket could be bound on 127.0.0.1");
  }
  listener.port = ntohs(address.sin_port);
  return listener;
}

}  // namespace

LoopbackListener listen_on_loopback(int backlog, int flags) {
  return bind_loopback(backlog, flags, {});
}

int connect_to_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  return fd;
}

int free_loopback_port() {
  // A port merely found free is soon taken on a busy machine: by an outgoing connection of a
  // test running beside this one, or by the next bind to port 0. So the port stays bound
  // here, never listening, for the rest of this process: the kernel then hands it to no
  // other bind to port 0 and to no outgoing connection, while the program started next binds
  // it. Linux lets a socket with SO_REUSEADDR share a port with a bound one that does not
  // listen, and one with SO_REUSEPORT alone share it when both set it: nginx, PostgreSQL and
  // Node set the first, cpp-httplib the second.
  static std::mutex mutex;
  static std::deque<int> reserved;
  const LoopbackListener bound = bind_loopback(0, 0, {SO_REUSEADDR, SO_REUSEPORT});
  const std::lock_guard<std::mutex> lock(mutex);
  reserved.push_back(bound.fd);
  if (reserved.size() > 256) {  // a process that starts many servers keeps the newest
    ::close(reserved.front());
    reserved.pop_front();
  }
  return bound.port;
}

}  // namespace instagram::oauth::testing
