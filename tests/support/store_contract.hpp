// The TokenStore contract, run against any store (the memory one and PostgreSQL's), and
// due tokens the look-alike issued, for the refresh passes.
#pragma once

#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_store.hpp>

#include <instagram/oauth/testing/instagram_mock.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace instagram::oauth::testing {

// A long-lived token of `user_id`, received at `received`, valid for 60 days.
inline StoredToken stored_token(const std::string& user_id,
                                std::chrono::system_clock::time_point received,
                                const std::string& access_token = "IGQWR-stored-0123456789") {
  StoredToken stored;
  stored.user_id = user_id;
  stored.token.access_token = access_token;
  stored.token.user_id = user_id;
  stored.token.token_type = "bearer";
  stored.token.permissions = {"instagram_business_basic", "instagram_business_content_publish"};
  stored.token.expires_in = std::chrono::seconds(60 * 24 * 3600);
  stored.token.received_at = received;
  stored.token.expires_at = received + *stored.token.expires_in;
  return stored;
}

// `count` long-lived tokens the look-alike issued (a code, then the long-lived exchange),
// saved received at `received` for users 17841400000000000 + i; their tokens, in order.
inline std::vector<std::string> save_issued(InstagramMock& mock, TokenStore& store, int count,
                                            std::chrono::system_clock::time_point received) {
  const TokenExchanger exchanger(mock.app_config(), mock.client_options());
  std::vector<std::string> tokens;
  for (int i = 0; i < count; ++i) {
    const AccessToken short_lived = exchanger.exchange(mock.issue_code()).value();
    const AccessToken long_lived =
        exchanger.exchange_for_long_lived(short_lived.access_token).value();
    REQUIRE(store
                .save(stored_token(std::to_string(17841400000000000LL + i), received,
                                   long_lived.access_token))
                .has_value());
    tokens.push_back(long_lived.access_token);
  }
  return tokens;
}

inline void check_store_contract(TokenStore& store) {
  using namespace std::chrono_literals;
  // Whole seconds: a store may keep no finer times.
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000));
  const StoredToken young = stored_token("17841400000000001", t0);
  const StoredToken due = stored_token("17841400000000002", t0 - 55 * 24h);
  StoredToken dead = stored_token("17841400000000003", t0 - 55 * 24h);
  dead.reauthorization_needed = "Error validating access token: Session has expired";
  for (const StoredToken* token : {&young, &due, static_cast<const StoredToken*>(&dead)}) {
    REQUIRE(store.save(*token).has_value());
  }

  SECTION("what is saved loads back whole, exact ids and times included") {
    const auto loaded = store.load(due.user_id).value();
    REQUIRE(loaded.has_value());
    CHECK(loaded->user_id == due.user_id);
    CHECK(loaded->token.access_token == due.token.access_token);
    CHECK(loaded->token.user_id == due.token.user_id);
    CHECK(loaded->token.token_type == "bearer");
    CHECK(loaded->token.permissions == due.token.permissions);
    CHECK(loaded->token.expires_in == due.token.expires_in);
    CHECK(loaded->token.received_at == due.token.received_at);
    CHECK(loaded->token.expires_at == due.token.expires_at);
    CHECK_FALSE(loaded->reauthorization_needed.has_value());
    CHECK(store.load(dead.user_id).value()->reauthorization_needed == dead.reauthorization_needed);
    CHECK_FALSE(store.load("17841499999999999").value().has_value());
  }
  SECTION("saving again replaces; removing says whether there was one") {
    StoredToken replaced = due;
    replaced.token.access_token = "IGQWR-replaced-0123456789";
    REQUIRE(store.save(replaced).has_value());
    CHECK(store.load(due.user_id).value()->token.access_token == "IGQWR-replaced-0123456789");
    CHECK(store.remove(due.user_id).value());
    CHECK_FALSE(store.remove(due.user_id).value());
    CHECK_FALSE(store.load(due.user_id).value().has_value());
  }
  SECTION("only what is due is leased, once, until the lease runs out or a save ends it") {
    const auto first = store.lease_due(t0, {}, 10, 300s).value();
    REQUIRE(first.size() == 1);
    CHECK(first[0].user_id == due.user_id);
    CHECK(first[0].token.access_token == due.token.access_token);
    CHECK(store.lease_due(t0, {}, 10, 300s).value().empty());             // leased
    CHECK(store.lease_due(t0 + 299s, {}, 10, 300s).value().empty());      // still leased
    CHECK(store.lease_due(t0 + 300s, {}, 10, 300s).value().size() == 1);  // ran out: again
    REQUIRE(store.save(due).has_value());                                 // a save ends the lease
    CHECK(store.lease_due(t0 + 300s, {}, 10, 300s).value().size() == 1);
  }
  SECTION("the limit bounds a lease") {
    for (int i = 10; i < 15; ++i) {
      REQUIRE(store.save(stored_token("178414000000000" + std::to_string(i), t0 - 55 * 24h))
                  .has_value());
    }
    CHECK(store.lease_due(t0, {}, 4, 300s).value().size() == 4);
    CHECK(store.lease_due(t0, {}, 4, 300s).value().size() == 2);
    CHECK(store.lease_due(t0, {}, 4, 300s).value().empty());
  }
  SECTION("what cannot be a key or a token is refused before anything is written") {
    CHECK(failure_of(store.save(stored_token("not-digits", t0))) ==
          Failure{ErrorCategory::invalid_argument,
                  "the user id must be decimal digits (Instagram's ids)"});
    CHECK(failure_of(store.load("")).category == ErrorCategory::invalid_argument);
    CHECK(failure_of(store.remove("1; DROP TABLE x")).category == ErrorCategory::invalid_argument);
    StoredToken empty = young;
    empty.token.access_token.clear();
    CHECK(failure_of(store.save(empty)) ==
          Failure{ErrorCategory::invalid_argument, "the stored token's access_token is empty"});
    CHECK(failure_of(store.lease_due(t0, {}, 0, 300s)).category == ErrorCategory::invalid_argument);
  }
}

}  // namespace instagram::oauth::testing
