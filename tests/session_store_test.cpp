// session_store.hpp: the session contract in memory, and its clock.
#include "catch.hpp"

#include <instagram/oauth/session_store.hpp>

#include "session_contract.hpp"

#include <chrono>

using namespace instagram::oauth;
using namespace std::chrono_literals;

TEST_CASE("MemorySessionStore keeps the SessionStore contract", "[session_store]") {
  MemorySessionStore sessions;
  testing::check_session_contract(sessions);
}

TEST_CASE("MemorySessionStore ends a session by the clock it was given", "[session_store]") {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000));
  MemorySessionStore sessions([&] { return now; });
  const Session session = sessions.create("17841405793187218", 3600s).value();
  CHECK(session.expires_at == now + 3600s);
  now += 3599s;
  CHECK(sessions.load(session.id).value().has_value());
  REQUIRE(sessions.touch(session.id, 3600s).has_value());  // until now + 3600 s
  now += 3599s;
  CHECK(sessions.load(session.id).value()->expires_at == now + 1s);
  now += 1s;
  CHECK_FALSE(sessions.load(session.id).value().has_value());
}
