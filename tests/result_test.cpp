// Result<T> (result.hpp): a value or an OAuthException, with std::expected's interface.
#include "catch.hpp"

#include <instagram/oauth/result.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

using namespace instagram::oauth;

static_assert(std::is_nothrow_move_constructible_v<Result<std::string>>);
static_assert(std::is_nothrow_move_assignable_v<Result<std::string>>);
static_assert(std::is_copy_constructible_v<Result<std::string>>);
static_assert(std::is_copy_constructible_v<Result<std::vector<int>>>);
static_assert(!std::is_copy_constructible_v<Result<std::unique_ptr<int>>>);
static_assert(std::is_nothrow_move_constructible_v<Result<std::unique_ptr<int>>>);
static_assert(!std::is_convertible_v<Result<int>, bool>, "operator bool is explicit");

TEST_CASE("Result holds a value", "[result]") {
  Result<std::string> result = std::string("IGQVJ");
  REQUIRE(result.has_value());
  CHECK(static_cast<bool>(result));
  CHECK(result.value() == "IGQVJ");
  CHECK(*result == "IGQVJ");
  CHECK(result->size() == 5);
  CHECK(result.value_or("other") == "IGQVJ");
  const Result<std::string>& constant = result;
  CHECK(constant.value() == "IGQVJ");
  CHECK(*constant == "IGQVJ");
  CHECK(constant->size() == 5);
  std::string moved = std::move(result).value();
  CHECK(moved == "IGQVJ");
  CHECK(Result<std::string>(std::string("a")).value_or("b") == "a");
  CHECK(Result<std::string>(OAuthException(ErrorCategory::api, "x")).value_or("b") == "b");
  CHECK(*Result<std::string>(std::string("c")) == "c");
}

TEST_CASE("Result holds an error, value() throws the same OAuthException", "[result]") {
  const Result<int> result =
      OAuthException(ErrorCategory::state_mismatch, "the redirect's state differs");
  REQUIRE_FALSE(result.has_value());
  CHECK_FALSE(static_cast<bool>(result));
  CHECK(result.error().category() == ErrorCategory::state_mismatch);
  CHECK(result.error().error_message() == "the redirect's state differs");
  CHECK(result.value_or(7) == 7);
  try {
    (void)result.value();
    FAIL("value() did not throw");
  } catch (const OAuthException& thrown) {
    CHECK(thrown.category() == ErrorCategory::state_mismatch);
    CHECK(std::string(thrown.what()) == "state_mismatch: the redirect's state differs");
  }
}

TEST_CASE("Result says which it holds, and converts what T can be made from", "[result]") {
  const Result<int> value = 42;
  CHECK(value.has_value());
  CHECK_FALSE(value.has_error());
  const Result<int> error = OAuthException(ErrorCategory::api, "x");
  CHECK(error.has_error());
  CHECK_FALSE(error.has_value());
  const Result<std::string> from_literal = "IGQVJ";
  CHECK(*from_literal == "IGQVJ");
  // As std::expected: T's explicit constructors stay explicit.
  static_assert(!std::is_convertible_v<std::string_view, Result<std::string>>);
  static_assert(!std::is_convertible_v<int, Result<std::string>>);
}

TEST_CASE("Result holds move-only values", "[result]") {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(5);
  REQUIRE(result);
  std::unique_ptr<int> taken = std::move(result).value();
  CHECK(*taken == 5);
}

TEST_CASE("Result<void> is success or an error, as std::expected<void, E>", "[result]") {
  static_assert(std::is_nothrow_move_constructible_v<Result<void>>);
  const Result<void> success;
  CHECK(success.has_value());
  CHECK_FALSE(success.has_error());
  CHECK(static_cast<bool>(success));
  CHECK_NOTHROW(success.value());
  const Result<void> failure = OAuthException(ErrorCategory::invalid_signature, "forged");
  CHECK(failure.has_error());
  CHECK_FALSE(static_cast<bool>(failure));
  CHECK(failure.error().category() == ErrorCategory::invalid_signature);
  try {
    failure.value();
    FAIL("value() did not throw");
  } catch (const OAuthException& thrown) {
    CHECK(std::string(thrown.what()) == "invalid_signature: forged");
  }
}
