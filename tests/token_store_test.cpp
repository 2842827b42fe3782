// token_store.hpp: the store contract in memory.
#include "catch.hpp"

#include <instagram/oauth/token_store.hpp>

#include "store_contract.hpp"

#include <chrono>

using namespace instagram::oauth;

TEST_CASE("MemoryTokenStore keeps the TokenStore contract", "[token_store]") {
  MemoryTokenStore store;
  testing::check_store_contract(store);
}

TEST_CASE("a store refuses what cannot be its key or its token, naming why", "[token_store]") {
  CHECK(stored_user_id_problem("17841405793187218").empty());
  CHECK(stored_user_id_problem("") == "the user id must be decimal digits (Instagram's ids)");
  CHECK(stored_user_id_problem("1784140579318721x") ==
        "the user id must be decimal digits (Instagram's ids)");
  StoredToken empty_token =
      testing::stored_token("17841405793187218", std::chrono::system_clock::now(), "");
  CHECK(stored_token_problem(empty_token) == "the stored token's access_token is empty");
  MemoryTokenStore store;
  const Result<void> refused = store.save(empty_token);
  REQUIRE(refused.has_error());
  CHECK(refused.error().category() == ErrorCategory::invalid_argument);
  CHECK(refused.error().error_message() == "the stored token's access_token is empty");
}

TEST_CASE("MemoryTokenStore's clock is the one it was given", "[token_store]") {
  using namespace std::chrono_literals;
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000));
  MemoryTokenStore store([&] { return now; });
  CHECK(store.now() == now);
  const StoredToken token = testing::stored_token("17841405793187218", now - 55 * 24h);
  REQUIRE(store.save(token).has_value());
  // Due by its clock: leased until its clock passes the lease's end, whatever the system's.
  REQUIRE(store.lease_due({}, 10, 300s).value().leased.size() == 1);
  now += 299s;
  CHECK(store.lease_due({}, 10, 300s).value().leased.empty());
  now += 1s;
  CHECK(store.lease_due({}, 10, 300s).value().leased.size() == 1);
  // Younger than a day and the clock margin by its clock: not due (with a policy that would
  // refresh any token older than that).
  const RefreshPolicy any_age{24h, 60 * 24h};
  REQUIRE(store.save(testing::stored_token("17841405793187219", now - 24h - 599s)).has_value());
  CHECK(store.lease_due(any_age, 10, 300s).value().leased.empty());
  now += 1s;
  CHECK(store.lease_due(any_age, 10, 300s).value().leased.size() == 1);
}
