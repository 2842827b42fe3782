// The library's one percent-encoder, one query decoder and one URL checker.
//
// Encoding keeps only A-Z a-z 0-9 - . _ ~ and writes every other byte as %XX
// (uppercase hex), so a WHATWG parser (browsers, URLSearchParams) decodes it back
// byte for byte. Decoding follows WHATWG application/x-www-form-urlencoded: split on
// '&' and the first '=', '+' is a space, %XX is a byte, and a '%' that starts no
// valid escape stays as it is. Decoding yields bytes, never U+FFFD.
#pragma once

#include <instagram/oauth/detail/checks.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth::detail {

// RFC 3986's unreserved characters, one entry a byte: the form encoder looks at every byte of
// every request.
inline constexpr std::array<bool, 256> unreserved_bytes = [] {
  std::array<bool, 256> table{};
  for (unsigned c = 0; c < 256; ++c) {
    table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~';
  }
  return table;
}();

constexpr bool is_unreserved(unsigned char c) noexcept {
  return unreserved_bytes[c];
}

// Runs of unreserved characters are appended whole: a call per character was a sixth of the
// engine's own instructions per exchange (callgrind, docs/performance.md).
inline void append_percent_encoded(std::string& out, std::string_view value) {
  constexpr char hex[] = "0123456789ABCDEF";
  std::size_t run = 0;  // start of the unreserved run not yet appended
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (is_unreserved(c)) continue;
    out.append(value.data() + run, i - run);
    const char escape[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
    out.append(escape, 3);
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
}

inline std::string percent_encode(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 3);
  append_percent_encoded(out, value);
  return out;
}

constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline void append_form_decoded(std::string& out, std::string_view raw) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < raw.size() && hex_digit_value(raw[i + 1]) >= 0 &&
               hex_digit_value(raw[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(hex_digit_value(raw[i + 1]) * 16 + hex_digit_value(raw[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
}

inline std::string form_decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  append_form_decoded(out, raw);
  return out;
}

// True when the raw (still encoded) name decodes to `name`; allocates only for escapes.
inline bool form_name_equals(std::string_view raw, std::string_view name) {
  if (raw == name) return true;
  // Decoding never lengthens, and without '%' or '+' the raw name is the decoded one.
  if (raw.size() < name.size() ||
      (raw.find('%') == std::string_view::npos && raw.find('+') == std::string_view::npos)) {
    return false;
  }
  return form_decode(raw) == name;
}

// Calls visit(raw_name, raw_value) for each non-empty '&'-separated piece, split at its
// first '='; a piece without '=' has an empty value.
template <class Visit>
void for_each_query_param(std::string_view query, Visit&& visit) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      visit(piece, std::string_view{});
    } else {
      visit(piece.substr(0, eq), piece.substr(eq + 1));
    }
  }
}

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the usual case, compared a word at a time
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// The hosts where plain http is allowed: local test servers only.
constexpr bool is_loopback_host(std::string_view host) noexcept {
  return host == "127.0.0.1" || host == "[::1]" || iequals(host, "localhost");
}

// The parts of "scheme://authority/path?query#fragment" as views into the URL.
struct UrlParts {
  std::string_view scheme;    // as written; compare with iequals
  bool has_userinfo = false;  // "user:pass@" before the host
  std::string_view host;      // "[::1]" keeps its brackets
  int port = -1;              // the effective port (default ports filled in), -1 for an odd scheme
  std::string_view path;      // "" for "https://host"
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

constexpr bool is_scheme_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// The scheme of an absolute URL ("https" of "https://…"), or empty when `text` is not one.
constexpr std::string_view absolute_url_scheme(std::string_view text) noexcept {
  const std::size_t colon = text.find("://");
  if (colon == 0 || colon == std::string_view::npos) return {};
  const char first = text[0];
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return {};
  for (std::size_t i = 1; i < colon; ++i) {
    if (!is_scheme_char(text[i])) return {};
  }
  return text.substr(0, colon);
}

// Splits an absolute URL; nullopt when it has no scheme, no host or a bad port.
inline std::optional<UrlParts> split_url(std::string_view url) {
  UrlParts parts;
  parts.scheme = absolute_url_scheme(url);
  if (parts.scheme.empty()) return std::nullopt;
  std::string_view rest = url.substr(parts.scheme.size() + 3);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    parts.fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  parts.path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    parts.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parts.host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    parts.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parts.host.empty()) return std::nullopt;
  if (!port_text.empty()) {
    if (port_text.size() > 5) return std::nullopt;
    int port = 0;
    for (const char c : port_text) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port > 65535) return std::nullopt;
    parts.port = port;
  } else if (iequals(parts.scheme, "https")) {
    parts.port = 443;
  } else if (iequals(parts.scheme, "http")) {
    parts.port = 80;
  }
  return parts;
}

// Why `url` cannot serve as `field` (redirect_uri, endpoints.token, …), or empty when it
// can: absolute, https (http only for loopback hosts), no user info, no fragment.
inline std::string check_url(std::string_view field, std::string_view url) {
  // The message is only built on failure: a valid URL costs no allocation.
  const auto problem = [field](std::string_view rule) { return std::string(field) += rule; };
  if (url.empty()) return problem(" is empty");
  for (const char c : url) {
    if (c == ' ' || is_control(c)) return problem(" must not contain spaces or control characters");
  }
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts) return problem(" must be an absolute URL such as https://example.com/auth/");
  if (parts->has_userinfo)
    return problem(" must not contain user information ('@' before the host)");
  const bool https = iequals(parts->scheme, "https");
  const bool loopback_http = iequals(parts->scheme, "http") && is_loopback_host(parts->host);
  if (!https && !loopback_http) {
    return problem(" must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");
  }
  if (parts->fragment) return problem(" must not contain a fragment ('#')");
  return {};
}

}  // namespace instagram::oauth::detail
