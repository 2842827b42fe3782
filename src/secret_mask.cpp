#include "secret_mask.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace instagram::oauth::detail {
namespace {

constexpr std::array<std::string_view, 4> secret_keys = {"access_token", "client_secret", "code",
                                                         "refresh_token"};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Codes, secrets and tokens are long; masking a value of a few characters would only
// mangle the text around it ("OAuthE(redacted)ception" for a code "x").
constexpr std::size_t shortest_masked_secret = 8;

void replace_all(std::string& text, std::string_view secret) {
  if (secret.size() < shortest_masked_secret) return;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + redaction_marker.size())) {
    text.replace(at, secret.size(), redaction_marker);
  }
}

// After `key` at `at`: `"key": "value"` or `key=value`; masks the value, returns where to go on.
std::size_t mask_value_after_key(std::string& text, std::size_t at, std::size_t key_size) {
  std::size_t i = at + key_size;
  const auto skip_spaces = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  if (i < text.size() && text[i] == '"') ++i;
  skip_spaces();
  if (i >= text.size() || (text[i] != ':' && text[i] != '=')) return at + key_size;
  const bool form = text[i] == '=';
  ++i;
  skip_spaces();
  std::size_t begin = i;
  std::size_t end = i;
  if (!form && i < text.size() && text[i] == '"') {
    begin = i + 1;
    end = begin;
    while (end < text.size() && text[end] != '"')
      end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
    end = std::min(end, text.size());
  } else if (form) {
    end = text.find_first_of("& \t\r\n\"", begin);
    if (end == std::string::npos) end = text.size();
  } else {
    return at + key_size;  // a number or another JSON value ("code": 400): not a secret
  }
  if (end == begin) return end;
  text.replace(begin, end - begin, redaction_marker);
  return begin + redaction_marker.size();
}

}  // namespace

std::string mask_secrets(std::string_view text, Secrets known) {
  std::string masked(text);
  for (const std::string_view secret : known) replace_all(masked, secret);
  for (const std::string_view key : secret_keys) {
    for (std::size_t at = masked.find(key); at != std::string::npos; at = masked.find(key, at)) {
      const bool whole_word =
          (at == 0 || !is_word_char(masked[at - 1])) &&
          (at + key.size() >= masked.size() || !is_word_char(masked[at + key.size()]));
      at = whole_word ? mask_value_after_key(masked, at, key.size()) : at + key.size();
    }
  }
  return masked;
}

std::string body_excerpt(std::string_view body, Secrets known) {
  // Mask a wider window first so that a secret straddling the cut is masked whole.
  std::string excerpt = mask_secrets(body.substr(0, 2 * excerpt_limit), known);
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
