// Comparison whose time depends on the lengths only, never on where bytes differ.
#pragma once

#include <cstddef>
#include <string_view>

namespace instagram::oauth::detail {

inline bool constant_time_equals(std::string_view expected, std::string_view actual) noexcept {
  unsigned diff = expected.size() == actual.size() ? 0U : 1U;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char other = i < actual.size() ? actual[i] : '\0';
    diff |= static_cast<unsigned char>(expected[i]) ^ static_cast<unsigned char>(other);
  }
  return diff == 0;
}

}  // namespace instagram::oauth::detail
