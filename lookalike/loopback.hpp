// Sockets on 127.0.0.1, the one place that makes them for the look-alikes, the tests and
// the benchmarks.
#pragma once

namespace instagram::oauth::testing {

struct LoopbackListener {
  int fd = -1;
  int port = 0;
};

// A TCP socket listening on 127.0.0.1 at a port the kernel picks; `flags` are added to
// SOCK_STREAM | SOCK_CLOEXEC (SOCK_NONBLOCK, say). Throws std::runtime_error on failure.
LoopbackListener listen_on_loopback(int backlog, int flags = 0);

// A TCP connection to 127.0.0.1:port (blocking), for tests that speak raw bytes. Throws
// std::runtime_error when it cannot connect.
int connect_to_loopback(int port);

// A port on 127.0.0.1 for a program started next, which must bind it with SO_REUSEADDR:
// it stays reserved (bound, not listening) for the rest of this process.
int free_loopback_port();

}  // namespace instagram::oauth::testing
