// Random byte strings biased towards what breaks URL code: NUL, & = # + % space,
// UTF-8 sequences and invalid UTF-8.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace instagram::oauth::testing {

inline std::string random_bytes(std::mt19937& rng, std::size_t max_length) {
  static const std::string tricky[] = {std::string(1, '\0'),
                                       "&",
                                       "=",
                                       "#",
                                       "+",
                                       "%",
                                       " ",
                                       "%2",
                                       "%zz",
                                       "\xC3\xA9",
                                       "\xF0\x9F\x93\xB7",
                                       "\xFF",
                                       "\xC3",
                                       "\xED\xA0\x80",
                                       "?",
                                       "/",
                                       ";",
                                       "\t",
                                       "\r\n"};
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(tricky) - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out;
  const std::size_t n = length(rng);
  while (out.size() < n) {
    switch (kind(rng)) {
      case 0:
        out += tricky[pick(rng)];
        break;
      case 1:
        out += static_cast<char>(byte(rng));
        break;
      default:
        out += static_cast<char>('a' + byte(rng) % 26);
        break;
    }
  }
  return out;
}

}  // namespace instagram::oauth::testing
