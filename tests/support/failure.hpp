// The one matcher of the tests: "this Result is an error of category C with message M".
//   CHECK(failure_of(result) == Failure{ErrorCategory::api, "the message"});
// A Result that holds a value compares unequal and prints as such.
#pragma once

#include "catch.hpp"

#include <instagram/oauth/result.hpp>

#include <ostream>
#include <string>

namespace instagram::oauth::testing {

struct Failure {
  ErrorCategory category;
  std::string message;  // error_message(), exactly

  friend bool operator==(const Failure& a, const Failure& b) {
    return a.category == b.category && a.message == b.message;
  }
  friend bool operator!=(const Failure& a, const Failure& b) { return !(a == b); }
  friend std::ostream& operator<<(std::ostream& out, const Failure& failure) {
    return out << to_string(failure.category) << ": " << failure.message;
  }
};

template <class T>
Failure failure_of(const Result<T>& result) {
  if (result.has_value()) return {ErrorCategory::invalid_argument, "(no error: it holds a value)"};
  return {result.error().category(), result.error().error_message()};
}

}  // namespace instagram::oauth::testing
