#include "loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace instagram::oauth::testing {

LoopbackListener listen_on_loopback(int backlog, int flags) {
  LoopbackListener listener;
  listener.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener.fd < 0 ||
      ::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      (backlog > 0 && ::listen(listener.fd, backlog) != 0) ||
      ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listener.fd >= 0) ::close(listener.fd);
    throw std::runtime_error("no socket could listen on 127.0.0.1");
  }
  listener.port = ntohs(address.sin_port);
  return listener;
}

int free_loopback_port() {
  const LoopbackListener bound = listen_on_loopback(0);  // bound, not listening
  ::close(bound.fd);
  return bound.port;
}

}  // namespace instagram::oauth::testing
