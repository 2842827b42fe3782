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
