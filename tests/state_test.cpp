#include "catch.hpp"

#include <instagram/oauth/state.hpp>

#include <string>
#include <unordered_set>

using namespace instagram::oauth;

TEST_CASE("generate_state gives 43 URL-safe characters", "[state]") {
  const std::string state = generate_state();
  CHECK(state.size() == 43);
  CHECK(
      state.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  const Result<std::string> tried = try_generate_state();
  REQUIRE(tried);
  CHECK(tried->size() == 43);
}

TEST_CASE("generate_state does not repeat over 100,000 calls", "[state]") {
  std::unordered_set<std::string> seen;
  seen.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) seen.insert(generate_state());
  CHECK(seen.size() == 100'000);
}

TEST_CASE("generate_state uses the whole alphabet", "[state]") {
  std::unordered_set<char> characters;
  for (int i = 0; i < 200; ++i) {
    for (const char c : generate_state()) characters.insert(c);
  }
  CHECK(characters.size() == 64);
}
