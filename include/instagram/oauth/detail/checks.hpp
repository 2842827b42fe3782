// Checks of what the caller configures, shared by the builder and the exchanger.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace instagram::oauth::detail {

// A C0 control byte or DEL: never part of a URL, a header line or a one-line message.
constexpr bool is_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

/// A character a terminal acts on instead of showing, found in UTF-8 text: its length in
/// bytes and its code point; length 0 where `at` starts anything else.
struct TerminalControl {
  std::size_t length = 0;
  char32_t code_point = 0;
};

// At `at`: a C0 control byte or DEL; a C1 control (U+0080–U+009F, which some terminals obey
// as CSI and OSC); a line or paragraph separator (U+2028, U+2029); a bidirectional embedding,
// override or isolate (U+202A–U+202E, U+2066–U+2069), which reorder what follows on the line.
constexpr TerminalControl terminal_control_at(std::string_view text, std::size_t at) noexcept {
  const auto byte = [&](std::size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U;
  };
  const unsigned first = byte(at);
  if (at < text.size() && is_control(text[at])) return {1, first};
  if (first == 0xC2 && byte(at + 1) >= 0x80 && byte(at + 1) <= 0x9F) {
    return {2, byte(at + 1)};
  }
  if (first == 0xE2 && (byte(at + 1) == 0x80 || byte(at + 1) == 0x81)) {
    const char32_t point = 0x2000U + ((byte(at + 1) & 0x3FU) << 6U) + (byte(at + 2) & 0x3FU);
    const bool separator_or_bidi =
        (point >= 0x2028 && point <= 0x202E) || (point >= 0x2066 && point <= 0x2069);
    if (separator_or_bidi && (byte(at + 2) & 0xC0U) == 0x80U) return {3, point};
  }
  return {};
}

constexpr bool is_decimal(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Why `client_id` is not an Instagram App ID, or empty when it is one.
inline std::string client_id_problem(std::string_view client_id) {
  if (client_id.empty()) return "client_id is empty";
  if (!is_decimal(client_id)) return "client_id must be a numeric string (the Instagram App ID)";
  return {};
}

}  // namespace instagram::oauth::detail
