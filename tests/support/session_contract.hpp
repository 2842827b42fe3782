// The SessionStore contract, run against any store (the memory one and PostgreSQL's), by the
// store's own clock: a session that must expire is a one-second one, waited out.
#pragma once

#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/session_store.hpp>

#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace instagram::oauth::testing {

inline void check_session_contract(SessionStore& sessions) {
  using namespace std::chrono_literals;
  const std::string alice = "17841405793187218";
  const std::string bob = "17841400000000002";

  SECTION("a session loads back by its id until it is removed") {
    const Session created = sessions.create(alice, 3600s).value();
    CHECK(created.id.size() == 43);  // 256 bits, base64url
    CHECK(created.user_id == alice);
    const std::optional<Session> loaded = sessions.load(created.id).value();
    REQUIRE(loaded.has_value());
    CHECK(loaded->id == created.id);
    CHECK(loaded->user_id == alice);
    CHECK(loaded->expires_at == created.expires_at);
    CHECK(sessions.remove(created.id).value());
    CHECK_FALSE(sessions.remove(created.id).value());
    CHECK_FALSE(sessions.load(created.id).value().has_value());
  }
  SECTION("every id is new, and an id that is not the store's is no session") {
    std::set<std::string> ids;
    for (int i = 0; i < 20; ++i) ids.insert(sessions.create(alice, 3600s).value().id);
    CHECK(ids.size() == 20);
    CHECK_FALSE(sessions.load("not-a-session-id").value().has_value());
    CHECK_FALSE(sessions.load(std::string("\xff\x00%", 3)).value().has_value());
  }
  SECTION("a session expires by the store's clock, and touch() keeps a live one going") {
    const Session short_lived = sessions.create(alice, 1s).value();
    const Session kept = sessions.create(alice, 1s).value();
    REQUIRE(sessions.touch(kept.id, 3600s).has_value());
    bool expired = false;
    for (int i = 0; i < 300 && !expired; ++i) {
      expired = !sessions.load(short_lived.id).value().has_value();
      if (!expired) std::this_thread::sleep_for(100ms);
    }
    CHECK(expired);
    CHECK(sessions.load(kept.id).value().has_value());
    // An expired session stays gone: touch() does not bring it back.
    REQUIRE(sessions.touch(short_lived.id, 3600s).has_value());
    CHECK_FALSE(sessions.load(short_lived.id).value().has_value());
  }
  SECTION("remove_user ends every session of that user, and no one else's") {
    const Session first = sessions.create(alice, 3600s).value();
    const Session second = sessions.create(alice, 3600s).value();
    const Session other = sessions.create(bob, 3600s).value();
    CHECK(sessions.remove_user(alice).value() == 2);
    CHECK_FALSE(sessions.load(first.id).value().has_value());
    CHECK_FALSE(sessions.load(second.id).value().has_value());
    CHECK(sessions.load(other.id).value().has_value());
    CHECK(sessions.remove_user(alice).value() == 0);
  }
  SECTION("what cannot be a user, an id or a lifetime is refused") {
    CHECK(failure_of(sessions.create("me", 3600s)) ==
          Failure{ErrorCategory::invalid_argument,
                  "the user id must be decimal digits (Instagram's ids)"});
    CHECK(failure_of(sessions.create(alice, 0s)) ==
          Failure{ErrorCategory::invalid_argument, "a session's lifetime must be positive"});
    CHECK(failure_of(sessions.load("")) ==
          Failure{ErrorCategory::invalid_argument, "the session id is empty"});
    CHECK(failure_of(sessions.touch("", 60s)).category == ErrorCategory::invalid_argument);
    CHECK(failure_of(sessions.remove("")).category == ErrorCategory::invalid_argument);
    CHECK(failure_of(sessions.remove_user("")).category == ErrorCategory::invalid_argument);
  }
}

}  // namespace instagram::oauth::testing
