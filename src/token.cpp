#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/token.hpp>

#include "secret_mask.hpp"

#include <ostream>
#include <string>

namespace instagram::oauth {

std::string redacted(std::string_view secret) {
  // Four characters tell tokens apart in a log without revealing one; short ones show none.
  constexpr std::size_t shown = 4;
  if (secret.size() < 4 * shown) return std::string(detail::redaction_marker);
  return std::string(secret.substr(0, shown)) + "\u2026" + std::string(detail::redaction_marker);
}

namespace {

// Text from the server, printed: control bytes as \xHH, so that none moves the cursor or
// starts a line.
struct Escaped {
  std::string_view text;
};

std::ostream& operator<<(std::ostream& out, Escaped escaped) {
  constexpr char hex[] = "0123456789abcdef";
  for (const char c : escaped.text) {
    if (detail::is_control(c) || c == '\\') {
      const auto byte = static_cast<unsigned char>(c);
      out << '\\' << 'x' << hex[byte >> 4] << hex[byte & 0x0F];
    } else {
      out << c;
    }
  }
  return out;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const AccessToken& token) {
  out << "AccessToken{access_token=" << redacted(token.access_token);
  if (!token.user_id.empty()) out << ", user_id=" << Escaped{token.user_id};
  if (!token.permissions.empty()) {
    out << ", permissions=[";
    for (std::size_t i = 0; i < token.permissions.size(); ++i) {
      out << (i == 0 ? "" : ",") << Escaped{token.permissions[i]};
    }
    out << ']';
  }
  if (!token.token_type.empty()) out << ", token_type=" << Escaped{token.token_type};
  if (token.expires_in) out << ", expires_in=" << token.expires_in->count() << 's';
  return out << '}';
}

}  // namespace instagram::oauth
