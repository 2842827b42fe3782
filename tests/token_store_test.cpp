// token_store.hpp: the store contract in memory.
#include "catch.hpp"

#include <instagram/oauth/token_store.hpp>

#include "store_contract.hpp"

using namespace instagram::oauth;

TEST_CASE("MemoryTokenStore keeps the TokenStore contract", "[token_store]") {
  MemoryTokenStore store;
  testing::check_store_contract(store);
}
