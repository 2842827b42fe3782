// A test whose server is missing ends as *skipped*, never as passed: it says why with this
// marker, and tests/CMakeLists.txt gives every test SKIP_REGULAR_EXPRESSION on it, so ctest's
// summary lists it under "did not run" (scripts/test.sh fails a CI run that skipped any).
#pragma once

#include "catch.hpp"

#include <string>

namespace instagram::oauth::testing {

inline void skip_test(const std::string& why) {
  WARN("SKIPPED: " << why);
}

}  // namespace instagram::oauth::testing
