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

TEST_CASE("try_generate_alphanumeric: letters and digits only, as Meta asks of a confirmation code",
          "[state]") {
  const std::string code = try_generate_alphanumeric().value();
  CHECK(code.size() == 32);
  CHECK(code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        std::string::npos);
  CHECK(try_generate_alphanumeric(1).value().size() == 1);
  CHECK(try_generate_alphanumeric(256).value().size() == 256);
  CHECK(try_generate_alphanumeric(0).error().category() == ErrorCategory::invalid_argument);
  CHECK(try_generate_alphanumeric(257).error().error_message() ==
        "an alphanumeric code is 1 to 256 characters long");
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(try_generate_alphanumeric(12).value());
  CHECK(seen.size() == 1000);
}

TEST_CASE("constant_time_equals is equality, whatever the lengths", "[state]") {
  // Public so that an example (web_login's logout token) needs nothing from detail::.
  const std::string token = generate_state();
  CHECK(constant_time_equals(token, token));
  CHECK_FALSE(constant_time_equals(token, token.substr(0, 42)));
  CHECK_FALSE(constant_time_equals(token, token + "x"));
  CHECK_FALSE(constant_time_equals(token, ""));
  CHECK_FALSE(constant_time_equals("", token));
  CHECK(constant_time_equals("", ""));
  std::string other = token;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(constant_time_equals(token, other));
  CHECK_FALSE(constant_time_equals(std::string("a\0b", 3), std::string("a\0c", 3)));
}
