// Origin: the engine's HTTP/2 admission for one host:port, apart from libcurl so that its
// arithmetic is tested without sockets (tests/origin_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>

namespace instagram::oauth::detail {

// What the engine knows of one host:port it sends to, and how many of its requests it lets
// into libcurl at once.
//
// Over HTTP/1.x a connection carries one request at a time: max_connections are admitted,
// the rest wait in the engine, without a libcurl handle (10,000 at once used to make
// 10,000 handles, 146 MB, for 64 connections).
//
// Over TLS with h2 offered, libcurl 7.88 lets a transfer wait for a connection being set up
// (PIPEWAIT) only while the first connection's protocol is unknown; later, a transfer that
// finds every connection full opens its own, so a burst of 200 would open 101. The engine
// holds such transfers back instead: it admits as many as the established connections have
// free streams, and opens a further connection for each `streams_per_connection` waiting,
// one transfer at a time. An answer over HTTP/1.x turns an origin into the first kind.
//
// And it paces them: at most one transfer for each `streams_per_connection` waiting is on its
// way to a connection at once (admitted, its request not yet started). libcurl 7.88 runs every
// transfer of a connection on each event of its socket, so 1,000 let in at once cost 1.5x the
// CPU and 4x the memory of the same 1,000 let in as they reach their streams (load_bench,
// docs/performance.md); at 100 ms answers the pace still fills 10 connections' streams.
//
// Invariants: opening() <= starting() <= admitted(); without multiplexing, admitted() <=
// max_connections for what admission() lets in. Not thread-safe: the engine thread alone owns
// it.
class Origin {
 public:
  using Connection = std::uintptr_t;  // the connection's socket
  enum class Admission { now, to_open_a_connection, hold };

  // `may_multiplex`: TLS with h2 offered; otherwise HTTP/1.x from the start.
  Origin(std::size_t max_connections, std::size_t streams_per_connection, bool may_multiplex)
      : max_connections_(max_connections),
        streams_per_connection_(streams_per_connection),
        multiplexes_(may_multiplex) {}

  // Where a request goes; `waiting`: this origin's requests not yet admitted, this one
  // included (it sets how many connections are worth opening at once).
  Admission admission(std::size_t waiting) const {
    if (!multiplexes_) return admitted_ < max_connections_ ? Admission::now : Admission::hold;
    const std::size_t wanted = (waiting + streams_per_connection_ - 1) / streams_per_connection_;
    if (starting_ >= wanted) return Admission::hold;
    const std::size_t established = connections_.size();
    if (admitted_ - opening_ < streams_per_connection_ * established) {
      return Admission::now;  // a stream is free on an established connection
    }
    if (opening_ < wanted && established + opening_ < max_connections_) {
      return Admission::to_open_a_connection;
    }
    return Admission::hold;
  }

  // A transfer entered the multi handle, as admission() said.
  void admit(Admission admission) {
    ++admitted_;
    ++starting_;
    if (admission == Admission::to_open_a_connection) ++opening_;
  }

  // An admitted transfer's request started on a connection, or it ended first: once for each
  // admit(), with what that admission was.
  void started(Admission admission) {
    --starting_;
    if (admission == Admission::to_open_a_connection) --opening_;
  }

  // A transfer is on `connection`, which libcurl has just made (not reused): counted until
  // connection_closed(). Idempotent.
  void connection_made(Connection connection) { connections_.insert(connection); }
  void connection_closed(Connection connection) { connections_.erase(connection); }

  // An admitted transfer left the multi handle; `http1`: it was answered over HTTP/1.x, so
  // this origin does not multiplex and nothing is held for it from now on.
  void finished(bool http1) {
    --admitted_;
    if (http1) multiplexes_ = false;
  }

  std::size_t admitted() const { return admitted_; }
  std::size_t starting() const { return starting_; }
  std::size_t opening() const { return opening_; }
  std::size_t connections() const { return connections_.size(); }
  bool multiplexes() const { return multiplexes_; }

 private:
  std::size_t max_connections_;
  std::size_t streams_per_connection_;
  bool multiplexes_;                            // until an answer over HTTP/1.x says otherwise
  std::size_t admitted_ = 0;                    // transfers in the multi handle
  std::size_t starting_ = 0;                    // of those, not yet on a connection
  std::size_t opening_ = 0;                     // of those, admitted to open a connection
  std::unordered_set<Connection> connections_;  // established, counted when a request starts
};

}  // namespace instagram::oauth::detail
