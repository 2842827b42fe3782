// The engine's HTTP/2 admission (src/origin.hpp), without sockets: how many requests go on
// established connections, when one more connection opens, and when requests are held.
#include "origin.hpp"

#include "catch.hpp"

using instagram::oauth::detail::Origin;
using Admission = Origin::Admission;

TEST_CASE("the first request opens a connection, and the rest wait for it", "[origin]") {
  Origin origin(64, 100, true);
  REQUIRE(origin.admission(1) == Admission::to_open_a_connection);
  origin.admit(Admission::to_open_a_connection);
  CHECK(origin.opening() == 1);
  // 99 more waiting: one connection being opened serves them all.
  CHECK(origin.admission(99) == Admission::hold);
  // 250 waiting want three connections: two more open at once.
  CHECK(origin.admission(250) == Admission::to_open_a_connection);
}

TEST_CASE("an established connection takes 100 streams, then one more opens", "[origin]") {
  Origin origin(64, 100, true);
  origin.admit(Admission::to_open_a_connection);
  origin.started(Admission::to_open_a_connection);
  origin.connection_made(7);
  for (int i = 1; i < 100; ++i) {
    REQUIRE(origin.admission(1) == Admission::now);
    origin.admit(Admission::now);
    origin.started(Admission::now);
  }
  CHECK(origin.admitted() == 100);
  CHECK(origin.admission(1) == Admission::to_open_a_connection);
  origin.admit(Admission::to_open_a_connection);
  CHECK(origin.admission(1) == Admission::hold);
  // A stream frees: the next goes on it, once the one opening a connection is on it.
  origin.finished(false);
  CHECK(origin.admission(1) == Admission::hold);
  origin.started(Admission::to_open_a_connection);
  origin.connection_made(8);
  CHECK(origin.admission(1) == Admission::now);
}

TEST_CASE("transfers enter one for each 100 waiting, as the last ones reach a stream", "[origin]") {
  // libcurl 7.88 runs every transfer of a connection on each of its socket's events: all
  // of 1,000 let in at once cost 1.5x the CPU of the same 1,000 paced.
  Origin origin(64, 100, true);
  for (int connection = 1; connection <= 10; ++connection) {
    origin.admit(Admission::to_open_a_connection);
    origin.started(Admission::to_open_a_connection);
    origin.connection_made(static_cast<Origin::Connection>(connection));
  }
  // 990 streams free; 1,000 waiting let 10 in at a time.
  for (int i = 0; i < 10; ++i) {
    REQUIRE(origin.admission(1000 - static_cast<std::size_t>(i)) == Admission::now);
    origin.admit(Admission::now);
  }
  CHECK(origin.starting() == 10);
  CHECK(origin.admission(990) == Admission::hold);
  origin.started(Admission::now);
  CHECK(origin.admission(990) == Admission::now);
  // Few waiting: one at a time.
  CHECK(origin.admission(1) == Admission::hold);
}

TEST_CASE("max_connections bounds the connections being opened", "[origin]") {
  Origin origin(2, 100, true);
  origin.admit(Admission::to_open_a_connection);
  origin.admit(Admission::to_open_a_connection);
  CHECK(origin.opening() == 2);
  CHECK(origin.admission(1000) == Admission::hold);
  origin.started(Admission::to_open_a_connection);
  origin.connection_made(5);
  origin.started(Admission::to_open_a_connection);
  origin.connection_made(6);
  CHECK(origin.connections() == 2);
  // 2 admitted on 2 connections: 198 streams free.
  CHECK(origin.admission(1000) == Admission::now);
  origin.connection_made(6);  // counted once
  CHECK(origin.connections() == 2);
  origin.connection_closed(5);
  CHECK(origin.connections() == 1);
}

TEST_CASE("an answer over HTTP/1.1 turns holding off", "[origin]") {
  Origin origin(4, 100, true);
  origin.admit(Admission::to_open_a_connection);
  CHECK(origin.admission(10) == Admission::hold);
  origin.started(Admission::to_open_a_connection);
  origin.finished(true);
  CHECK_FALSE(origin.multiplexes());
  CHECK(origin.admission(10) == Admission::now);
  CHECK(origin.admitted() == 0);
}

TEST_CASE("without multiplexing, max_connections are admitted and the rest held", "[origin]") {
  Origin origin(2, 100, false);
  CHECK_FALSE(origin.multiplexes());
  REQUIRE(origin.admission(5) == Admission::now);
  origin.admit(Admission::now);
  REQUIRE(origin.admission(4) == Admission::now);
  origin.admit(Admission::now);
  CHECK(origin.admission(3) == Admission::hold);
  origin.finished(true);
  CHECK(origin.admission(3) == Admission::now);
}
