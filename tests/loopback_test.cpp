// lookalike/loopback.hpp: a port handed to a program started next stays out of everyone
// else's hands (outgoing connections, binds to port 0) until that program binds it.
#include "catch.hpp"

#include "loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace {

// bind(2) of a new socket to 127.0.0.1:port with one SOL_SOCKET option set (0: none), then
// listen(2): 0 or the errno of the step that failed.
int bind_and_listen(int port, int option) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  const int yes = 1;
  if (option != 0) REQUIRE(::setsockopt(fd, SOL_SOCKET, option, &yes, sizeof yes) == 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const int result =
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && ::listen(fd, 1) == 0
          ? 0
          : errno;
  ::close(fd);
  return result;
}

}  // namespace

TEST_CASE(
    "free_loopback_port reserves its port for a server that sets SO_REUSEADDR or "
    "SO_REUSEPORT",
    "[loopback]") {
  const int port = instagram::oauth::testing::free_loopback_port();
  CHECK(port > 0);
  CHECK(instagram::oauth::testing::free_loopback_port() != port);
  // Another socket without either option: refused, as the kernel's own picks are.
  CHECK(bind_and_listen(port, 0) == EADDRINUSE);
  // nginx, PostgreSQL and Node (SO_REUSEADDR); cpp-httplib (SO_REUSEPORT alone).
  CHECK(bind_and_listen(port, SO_REUSEADDR) == 0);
  CHECK(bind_and_listen(port, SO_REUSEPORT) == 0);
}
