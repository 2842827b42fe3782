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

// After `key` ending at `i`: `"key": "value"` (JSON whitespace allowed) or `key=value`.
void mark_value_after_key(const std::string& text, std::size_t i, Ranges& ranges) {
  if (i < text.size() && text[i] == '"') ++i;
  while (i < text.size() && is_json_space(text[i])) ++i;
  if (i >= text.size() || (text[i] != ':' && text[i] != '=')) return;
  const bool form = text[i] == '=';
  ++i;
  while (i < text.size() && is_json_space(text[i])) ++i;
  std::size_t begin = i;
  std::size_t end = i;
  if (!form && i < text.size() && text[i] == '"') {
    begin = i + 1;
    end = begin;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    end = std::min(end, text.size());
  } else if (form) {
    end = text.find_first_of("& \t\r\n\"", begin);
    if (end == std::string::npos) end = text.size();
  } else {
    return;  // a number or another JSON value ("code": 400): not a secret
  }
  if (end > begin) ranges.emplace_back(begin, end);
}

void mark_key_values(const std::string& text, Ranges& ranges) {
  for (const std::string_view key : secret_keys) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + key.size())) {
      const std::size_t end = at + key.size();
      const bool whole_word = (at == 0 || !is_word_char(text[at - 1])) &&
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

std::string mask_known(std::string_view text, std::string_view secret) {
  if (secret.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t at = text.find(secret); at != std::string_view::npos;
       at = text.find(secret, copied)) {
    out.append(text.substr(copied, at - copied));
    out.append(redaction_marker);
    copied = at + secret.size();
  }
  out.append(text.substr(copied));
  return out;
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
