#include "secret_mask.hpp"

#include <instagram/oauth/detail/url.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>
#include <utility>
#include <vector>

namespace instagram::oauth::detail {
namespace {

constexpr std::array<std::string_view, 4> secret_keys = {"access_token", "client_secret", "code",
                                                         "refresh_token"};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Past white space from `i`: JSON's, and its escaped spelling (a literal backslash-n), which a
// body quoted inside another string carries between a key and its value.
std::size_t skip_space(const std::string& text, std::size_t i) {
  while (i < text.size()) {
    if (is_json_space(text[i])) {
      ++i;
    } else if (text[i] == '\\' && i + 1 < text.size() &&
               (text[i + 1] == 'n' || text[i + 1] == 'r' || text[i + 1] == 't')) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// The length of an escaped '=' at `i`: percent-encoded (%3D) or an HTML entity (&#61;,
// &#x3d;, &equals;), as a form value shown in a page spells it; 0 for anything else.
std::size_t escaped_equals_at(const std::string& text, std::size_t i) {
  for (const std::string_view spelling : {"%3D", "%3d", "&#61;", "&#x3d;", "&#x3D;", "&equals;"}) {
    if (text.compare(i, spelling.size(), spelling) == 0) return spelling.size();
  }
  return 0;
}

// `text` with the escapes a JSON parser or a URL decoder would undo for URL-safe
// characters (\u0049, \/, %49) decoded, and for each decoded character where it starts in
// `text`. Quotes and backslashes stay escaped, so string ends are still found.
struct Normalized {
  std::string text;
  std::vector<std::size_t> origin;  // origin[i]: where text[i] starts; one extra at the end
};

Normalized normalize(std::string_view raw) {
  Normalized out;
  out.text.reserve(raw.size());
  out.origin.reserve(raw.size() + 1);
  const auto hex = [&](std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      const int digit = i < raw.size() ? hex_digit_value(raw[i]) : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  };
  const auto url_safe = [](int c) {
    return c >= 0 && c < 0x80 && (is_unreserved(static_cast<unsigned char>(c)));
  };
  for (std::size_t i = 0; i < raw.size();) {
    out.origin.push_back(i);
    int decoded = -1;
    std::size_t length = 1;
    if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'u') {
      decoded = hex(i + 2, 4);
      length = 6;
    } else if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '/') {
      decoded = '/';
      length = 2;
    } else if (raw[i] == '%') {
      decoded = hex(i + 1, 2);
      length = 3;
    }
    if (decoded == '/' || url_safe(decoded)) {
      out.text.push_back(static_cast<char>(decoded));
      i += length;
    } else {
      out.text.push_back(raw[i]);
      ++i;
    }
  }
  out.origin.push_back(raw.size());
  return out;
}

// Ranges of the normalized text to mask, as [begin, end) pairs.
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// Every 8-character window of the text that is also a window of a known secret.
void mark_secret_windows(std::string_view text, Secrets known, Ranges& ranges) {
  std::unordered_set<std::string_view> windows;
  for (const std::string_view secret : known) {
    for (std::size_t at = 0; at + secret_window <= secret.size(); ++at) {
      windows.insert(secret.substr(at, secret_window));
    }
  }
  if (windows.empty()) return;
  for (std::size_t at = 0; at + secret_window <= text.size(); ++at) {
    if (windows.count(text.substr(at, secret_window)) != 0) {
      ranges.emplace_back(at, at + secret_window);
    }
  }
}

// A bare value that is a JSON number or literal ("code": 400, the error code): not a secret.
bool is_json_scalar(std::string_view value) {
  if (value == "true" || value == "false" || value == "null") return true;
  return value.find_first_not_of("0123456789+-.eE") == std::string_view::npos;
}

// After `key` ending at `i`, every spelling a body may give it: `"key": "value"` (JSON,
// whitespace allowed, also escaped), `'key': 'value'`, `key: value` (a bare colon),
// `key=value` (a form or query), `key%3Dvalue` and `key&#61;value` (escaped '='),
// `<key>value</key>` (XML) and `<td>key</td><td>value</td>` (a page's table).
void mark_value_after_key(const std::string& text, std::size_t i, Ranges& ranges) {
  if (i < text.size() && text[i] == '>') {  // <key>value</key>
    const std::size_t end = std::min(text.find('<', i + 1), text.size());
    if (end > i + 1) ranges.emplace_back(i + 1, end);
    return;
  }
  if (text.compare(i, 2, "</") == 0) {  // the key's element closes; the value is the next text
    while (i < text.size() && text[i] == '<') {
      i = std::min(text.find('>', i), text.size() - 1) + 1;
      i = skip_space(text, i);
    }
    const std::size_t end = std::min(text.find('<', i), text.size());
    if (end > i) ranges.emplace_back(i, end);
    return;
  }
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
  i = skip_space(text, i);
  bool form = false;
  if (i < text.size() && (text[i] == ':' || text[i] == '=')) {
    form = text[i] == '=';
    ++i;
  } else if (const std::size_t escaped = escaped_equals_at(text, i); escaped > 0) {
    form = true;
    i += escaped;
  } else {
    return;
  }
  i = skip_space(text, i);
  if (i >= text.size()) return;
  std::size_t begin = i;
  std::size_t end = i;
  if (!form && (text[i] == '"' || text[i] == '\'')) {
    const char quote = text[i];
    begin = i + 1;
    end = begin;
    while (end < text.size() && text[end] != quote) end += text[end] == '\\' ? 2 : 1;
    end = std::min(end, text.size());
  } else {
    end = text.find_first_of(form ? "& \t\r\n\"'<" : " \t\r\n\"',;}]<&", begin);
    if (end == std::string::npos) end = text.size();
    // A number or another JSON literal after a colon ("code": 400): not a secret.
    if (!form && is_json_scalar(std::string_view(text).substr(begin, end - begin))) return;
  }
  if (end > begin) ranges.emplace_back(begin, end);
}

void mark_key_values(const std::string& text, Ranges& ranges) {
  for (const std::string_view key : secret_keys) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + key.size())) {
      const std::size_t end = at + key.size();
      // A percent-escape before the key ("%3Faccess_token") separates it like a '?'.
      const bool after_escape = at >= 3 && text[at - 3] == '%' &&
                                hex_digit_value(text[at - 2]) >= 0 &&
                                hex_digit_value(text[at - 1]) >= 0;
      const bool whole_word = (at == 0 || !is_word_char(text[at - 1]) || after_escape) &&
                              (end >= text.size() || !is_word_char(text[end]));
      if (whole_word) mark_value_after_key(text, end, ranges);
    }
  }
}

// Normalized positions as positions in the text they came from.
void to_raw(const Normalized& normalized, Ranges& ranges) {
  for (auto& [begin, end] : ranges) {
    begin = normalized.origin[begin];
    end = normalized.origin[end];
  }
}

// `raw` with the marked ranges (raw positions) replaced, each merged run once.
std::string apply(std::string_view raw, Ranges& ranges) {
  if (ranges.empty()) return std::string(raw);
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  out.reserve(raw.size());
  std::size_t copied = 0;
  for (std::size_t r = 0; r < ranges.size();) {
    const std::size_t begin = ranges[r].first;
    std::size_t end = ranges[r].second;
    for (++r; r < ranges.size() && ranges[r].first <= end; ++r) {
      end = std::max(end, ranges[r].second);
    }
    out.append(raw.substr(copied, begin - copied));
    out.append(redaction_marker);
    copied = end;
  }
  out.append(raw.substr(copied));
  return out;
}

}  // namespace

std::string mask_secrets(std::string_view text, Secrets known) {
  // Decoding can hide a secret's spelling ("%75q23…" holds "5q23…" as written): windows are
  // looked for in the text as written and as a parser would read it.
  const Normalized normalized = normalize(text);
  Ranges ranges;
  mark_secret_windows(normalized.text, known, ranges);
  mark_key_values(normalized.text, ranges);
  to_raw(normalized, ranges);
  mark_secret_windows(text, known, ranges);
  return apply(text, ranges);
}

std::string body_excerpt(std::string_view body, Secrets known) {
  std::string excerpt = mask_secrets(body, known);
  if (excerpt.size() > excerpt_limit) excerpt.resize(excerpt_limit);
  return excerpt;
}

OAuthException mask_error(const OAuthException& error, Secrets known) {
  ErrorDetails details = error.details();
  bool changed = false;
  for (std::string* field : {&details.error_message, &details.error_type, &details.error_reason,
                             &details.body_excerpt, &details.fbtrace_id}) {
    std::string masked = mask_secrets(*field, known);
    // A value cut at the end of an excerpt is masked whole: the mask may be the longer.
    if (field == &details.body_excerpt && masked.size() > excerpt_limit)
      masked.resize(excerpt_limit);
    if (masked != *field) {
      *field = std::move(masked);
      changed = true;
    }
  }
  return changed ? OAuthException(std::move(details)) : error;
}

}  // namespace instagram::oauth::detail
