// Checks of what the caller configures, shared by the builder and the exchanger.
#pragma once

#include <string>
#include <string_view>

namespace instagram::oauth::detail {

// A C0 control byte or DEL: never part of a URL, a header line or a one-line message.
constexpr bool is_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
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
