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
#include <thread>
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
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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

// The store's clock to the whole second: what every store keeps exactly.
inline std::chrono::system_clock::time_point whole_seconds(
    std::chrono::system_clock::time_point t) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()));
}

// Runs every part of the contract against `store`, by its own clock (a real PostgreSQL's
// cannot be moved): times are relative to store.now(), and a lease that must run out is a
// one-second lease waited out.
inline void check_store_contract(TokenStore& store) {
  using namespace std::chrono_literals;
  const auto t0 = whole_seconds(store.now());
  const StoredToken young = stored_token("17841400000000001", t0);
  const StoredToken due = stored_token("17841400000000002", t0 - 55 * 24h);
  StoredToken dead = stored_token("17841400000000003", t0 - 55 * 24h);
  dead.reauthorization_needed = "Error validating access token: Session has expired";
  for (const StoredToken* token : {&young, &due, static_cast<const StoredToken*>(&dead)}) {
    REQUIRE(store.save(*token).has_value());
  }
  const auto lease_one = [&](std::chrono::seconds lease = 300s) {
    LeaseBatch batch = store.lease_due({}, 10, lease).value();
    CHECK(batch.unreadable.empty());
    return batch.leased;
  };
  // Leasable again once its lease ran out: polled, never a fixed sleep.
  const auto leasable_after_wait = [&] {
    for (int i = 0; i < 300; ++i) {
      if (!lease_one(1s).empty()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };

  SECTION("the store's clock is now, give or take a minute") {
    const auto drift = store.now() - std::chrono::system_clock::now();
    CHECK(drift < 60s);
    CHECK(drift > -60s);
  }
  SECTION("what is saved loads back whole, exact ids, times and failures included") {
    StoredToken failing = due;
    failing.failure =
        RefreshFailure{3, ErrorCategory::timeout, "the request timed out after 5000 ms", t0 + 240s};
    REQUIRE(store.save(failing).has_value());
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
    REQUIRE(loaded->failure.has_value());
    CHECK(loaded->failure->attempts == 3);
    CHECK(loaded->failure->category == ErrorCategory::timeout);
    CHECK(loaded->failure->message == "the request timed out after 5000 ms");
    CHECK(loaded->failure->next_attempt == t0 + 240s);
    CHECK(store.load(dead.user_id).value()->reauthorization_needed == dead.reauthorization_needed);
    CHECK_FALSE(store.load(young.user_id).value()->failure.has_value());
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
  SECTION("only what is due is leased, once, until a save ends the lease or it runs out") {
    const std::vector<Lease> first = lease_one();
    REQUIRE(first.size() == 1);
    CHECK(first[0].stored.user_id == due.user_id);
    CHECK(first[0].stored.token.access_token == due.token.access_token);
    CHECK(lease_one().empty());  // leased
    REQUIRE(store.save(due).has_value());
    const std::vector<Lease> second = lease_one(1s);  // a save ended the lease
    REQUIRE(second.size() == 1);
    CHECK(second[0].fence != first[0].fence);
    CHECK(leasable_after_wait());  // a one-second lease runs out
  }
  SECTION("a token whose refresh failed waits for its next attempt") {
    StoredToken failing = due;
    failing.failure = RefreshFailure{1, ErrorCategory::transport, "Couldn't connect", t0 + 3600s};
    REQUIRE(store.save(failing).has_value());
    CHECK(lease_one().empty());
    failing.failure->next_attempt = t0 - 1s;
    REQUIRE(store.save(failing).has_value());
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 1);
    CHECK(leased[0].stored.failure->attempts == 1);
  }
  SECTION("the limit bounds a lease") {
    for (int i = 10; i < 15; ++i) {
      REQUIRE(store.save(stored_token("178414000000000" + std::to_string(i), t0 - 55 * 24h))
                  .has_value());
    }
    CHECK(store.lease_due({}, 4, 300s).value().leased.size() == 4);
    CHECK(store.lease_due({}, 4, 300s).value().leased.size() == 2);
    CHECK(store.lease_due({}, 4, 300s).value().leased.empty());
  }
  SECTION("finish_lease writes while the fence holds, and ends the lease") {
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 1);
    StoredToken refreshed = stored_token(due.user_id, t0, "IGQWR-refreshed-0123456789");
    CHECK(store.finish_lease(leased[0], refreshed).value());
    CHECK(store.load(due.user_id).value()->token.access_token == "IGQWR-refreshed-0123456789");
    CHECK_FALSE(store.finish_lease(leased[0], refreshed).value());  // finished: the fence moved
    // Ended: its user can be leased again at once.
    CHECK(store.lease_user(due.user_id, 300s).value().has_value());
  }
  SECTION("finish_leases writes each whose fence holds, in order, and nothing else") {
    for (int i = 10; i < 13; ++i) {
      REQUIRE(store.save(stored_token("178414000000000" + std::to_string(i), t0 - 55 * 24h))
                  .has_value());
    }
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 4);
    // The second is saved anew meanwhile (a new login); the fourth's holder is a stale one
    // (the same lease handed in twice: only its first finish may write).
    REQUIRE(store.save(stored_token(leased[1].stored.user_id, t0, "IGQWR-new-login")).has_value());
    std::vector<FinishedLease> finished;
    for (const Lease& lease : leased) {
      finished.push_back(
          {lease, stored_token(lease.stored.user_id, t0, "IGQWR-" + lease.stored.user_id)});
    }
    finished.push_back(finished[3]);
    finished.back().result.token.access_token = "IGQWR-stale-holder";
    CHECK(store.finish_leases(finished).value() ==
          std::vector<bool>{true, false, true, true, false});
    for (const std::size_t index : {0, 2, 3}) {
      const std::string& user_id = leased[index].stored.user_id;
      CHECK(store.load(user_id).value()->token.access_token == "IGQWR-" + user_id);
    }
    CHECK(store.load(leased[1].stored.user_id).value()->token.access_token == "IGQWR-new-login");
    CHECK(store.finish_leases({}).value().empty());
    finished[0].result.user_id = leased[2].stored.user_id;  // another user's row: refused whole
    CHECK(
        failure_of(store.finish_leases(finished)) ==
        Failure{ErrorCategory::invalid_argument, "a lease's result must be the same user's token"});
  }
  SECTION("a save while a lease is out wins: the lease's finish writes nothing") {
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 1);
    REQUIRE(store.save(stored_token(due.user_id, t0, "IGQWR-new-login-0123456789")).has_value());
    CHECK_FALSE(
        store.finish_lease(leased[0], stored_token(due.user_id, t0, "IGQWR-old-refresh")).value());
    CHECK(store.load(due.user_id).value()->token.access_token == "IGQWR-new-login-0123456789");
  }
  SECTION("a removal while a lease is out wins: the token stays deleted") {
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 1);
    REQUIRE(store.remove(due.user_id).value());
    CHECK_FALSE(
        store.finish_lease(leased[0], stored_token(due.user_id, t0, "IGQWR-old-refresh")).value());
    CHECK_FALSE(store.load(due.user_id).value().has_value());
    // Saved again after the deletion (a new login): still no old lease writes over it.
    REQUIRE(store.save(stored_token(due.user_id, t0, "IGQWR-after-deletion")).has_value());
    CHECK_FALSE(
        store.finish_lease(leased[0], stored_token(due.user_id, t0, "IGQWR-old-refresh")).value());
    CHECK(store.load(due.user_id).value()->token.access_token == "IGQWR-after-deletion");
  }
  SECTION("a holder whose lease ran out and was taken again writes nothing") {
    const std::vector<Lease> stale = lease_one(1s);
    REQUIRE(stale.size() == 1);
    REQUIRE(leasable_after_wait());  // another holder now
    CHECK_FALSE(store.finish_lease(stale[0], stored_token(due.user_id, t0, "IGQWR-stale")).value());
    CHECK(store.load(due.user_id).value()->token.access_token == due.token.access_token);
  }
  SECTION("lease_user leases one user whatever the age, and never what is held or dead") {
    const std::optional<Lease> held = store.lease_user(young.user_id, 300s).value();
    REQUIRE(held.has_value());
    CHECK(held->stored.token.access_token == young.token.access_token);
    CHECK_FALSE(store.lease_user(young.user_id, 300s).value().has_value());
    CHECK_FALSE(store.lease_user(dead.user_id, 300s).value().has_value());
    CHECK_FALSE(store.lease_user("17841499999999999", 300s).value().has_value());
  }
  SECTION("what cannot be a key or a token is refused before anything is written") {
    CHECK(failure_of(store.save(stored_token("not-digits", t0))) ==
          Failure{ErrorCategory::invalid_argument,
                  "the user id must be decimal digits (Instagram's ids)"});
    CHECK(failure_of(store.load("")).category == ErrorCategory::invalid_argument);
    CHECK(failure_of(store.remove("1; DROP TABLE x")).category == ErrorCategory::invalid_argument);
    CHECK(failure_of(store.lease_user("x", 300s)).category == ErrorCategory::invalid_argument);
    StoredToken empty = young;
    empty.token.access_token.clear();
    CHECK(failure_of(store.save(empty)) ==
          Failure{ErrorCategory::invalid_argument, "the stored token's access_token is empty"});
    CHECK(failure_of(store.lease_due({}, 0, 300s)) ==
          Failure{ErrorCategory::invalid_argument, "limit and lease must be positive"});
    const std::vector<Lease> leased = lease_one();
    REQUIRE(leased.size() == 1);
    CHECK(
        failure_of(store.finish_lease(leased[0], young)) ==
        Failure{ErrorCategory::invalid_argument, "a lease's result must be the same user's token"});
    CHECK(failure_of(store.finish_lease(leased[0], empty)).category ==
          ErrorCategory::invalid_argument);
  }
}

}  // namespace instagram::oauth::testing
