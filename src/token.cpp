#include <instagram/oauth/token.hpp>

#include <ostream>
#include <string>

namespace instagram::oauth {

std::string redacted(std::string_view secret) {
  // Four characters tell tokens apart in a log without revealing one; short ones show none.
  constexpr std::size_t shown = 4;
  if (secret.size() < 4 * shown) return "(redacted)";
  return std::string(secret.substr(0, shown)) + "\u2026(redacted)";
}

std::ostream& operator<<(std::ostream& out, const AccessToken& token) {
  out << "AccessToken{access_token=" << redacted(token.access_token);
  if (!token.user_id.empty()) out << ", user_id=" << token.user_id;
  if (!token.permissions.empty()) {
    out << ", permissions=[";
    for (std::size_t i = 0; i < token.permissions.size(); ++i) {
      out << (i == 0 ? "" : ",") << token.permissions[i];
    }
    out << ']';
  }
  if (!token.token_type.empty()) out << ", token_type=" << token.token_type;
  if (token.expires_in) out << ", expires_in=" << token.expires_in->count() << 's';
  return out << '}';
}

}  // namespace instagram::oauth
