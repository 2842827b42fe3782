// Result<T> (result.hpp): a value or an OAuthException, with std::expected's interface.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/result.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;

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

TEST_CASE("and_then, transform, or_else and value_or, as std::expected spells them", "[result]") {
  const Result<int> two = 2;
  const Result<int> failed = OAuthException(ErrorCategory::timeout, "too slow");
  const auto half = [](int value) -> Result<int> {
    if (value % 2 != 0) return OAuthException(ErrorCategory::invalid_argument, "odd");
    return value / 2;
  };
  CHECK(*two.and_then(half) == 1);
  CHECK(failure_of(two.and_then(half).and_then(half)) ==
        Failure{ErrorCategory::invalid_argument, "odd"});
  CHECK(failure_of(failed.and_then(half)) == Failure{ErrorCategory::timeout, "too slow"});
  // transform wraps what f returns, of another type too; the error passes through.
  CHECK(*two.transform([](int value) { return std::to_string(value); }) == "2");
  CHECK(failure_of(failed.transform([](int value) { return value + 1; })) ==
        Failure{ErrorCategory::timeout, "too slow"});
  const Result<void> nothing = two.transform([](int) {});  // a void f gives a Result<void>
  CHECK(nothing.has_value());
  // or_else sees only an error, and may recover.
  int asked = 0;
  const auto recover = [&](const OAuthException& error) -> Result<int> {
    ++asked;
    return error.category() == ErrorCategory::timeout ? Result<int>(0) : Result<int>(error);
  };
  CHECK(*two.or_else(recover) == 2);
  CHECK(asked == 0);
  CHECK(*failed.or_else(recover) == 0);
  CHECK(asked == 1);
  CHECK(failed.value_or(7) == 7);
}

TEST_CASE("the monadic operations move move-only values, and Result<void> has them too",
          "[result]") {
  Result<std::unique_ptr<int>> owned = std::make_unique<int>(5);
  Result<int> doubled = std::move(owned).and_then(
      [](std::unique_ptr<int> value) -> Result<int> { return *value * 2; });
  CHECK(*doubled == 10);
  Result<std::unique_ptr<int>> again = std::make_unique<int>(6);
  Result<std::unique_ptr<int>> kept =
      std::move(again).transform([](std::unique_ptr<int> value) { return value; });
  CHECK(**kept == 6);
  Result<std::unique_ptr<int>> failed = OAuthException(ErrorCategory::api, "x");
  CHECK(**std::move(failed).or_else([](const OAuthException&) -> Result<std::unique_ptr<int>> {
    return std::make_unique<int>(1);
  }) == 1);

  const Result<void> done;
  const Result<void> refused = OAuthException(ErrorCategory::invalid_signature, "forged");
  CHECK(*done.and_then([]() -> Result<int> { return 3; }) == 3);
  CHECK(failure_of(refused.and_then([]() -> Result<int> { return 3; })) ==
        Failure{ErrorCategory::invalid_signature, "forged"});
  CHECK(*done.transform([] { return std::string("ok"); }) == "ok");
  CHECK(refused.or_else([](const OAuthException&) { return Result<void>(); }).has_value());
  CHECK(done.or_else([](const OAuthException& error) { return Result<void>(error); }).has_value());
}
