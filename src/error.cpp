#include <instagram/oauth/error.hpp>

#include <string>
#include <utility>

namespace instagram::oauth {
namespace {

// One line: control characters (an answer's newlines among them) become spaces.
void append_one_line(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7F ? ' ' : c);
  }
}

// "api: Matching code was not found or was already used (OAuthException, code 400, HTTP 400)"
std::string what_line(const ErrorDetails& details) {
  std::string line(to_string(details.category));
  line += ": ";
  append_one_line(line, details.error_message);
  std::string extra;
  const auto add = [&extra](std::string_view part) {
    if (part.empty()) return;
    if (!extra.empty()) extra += ", ";
    append_one_line(extra, part);
  };
  add(details.error_type);
  add(details.error_reason);
  if (details.code != 0) add("code " + std::to_string(details.code));
  if (details.error_subcode != 0) add("subcode " + std::to_string(details.error_subcode));
  if (details.http_status != 0) add("HTTP " + std::to_string(details.http_status));
  if (!extra.empty()) line += " (" + extra + ")";
  return line;
}

}  // namespace

std::string_view to_string(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::api:
      return "api";
    case ErrorCategory::authorization_denied:
      return "authorization_denied";
    case ErrorCategory::invalid_redirect:
      return "invalid_redirect";
    case ErrorCategory::state_mismatch:
      return "state_mismatch";
    case ErrorCategory::invalid_argument:
      return "invalid_argument";
    case ErrorCategory::transport:
      return "transport";
    case ErrorCategory::timeout:
      return "timeout";
    case ErrorCategory::invalid_response:
      return "invalid_response";
    case ErrorCategory::system:
      return "system";
  }
  return "unknown";
}

OAuthException::OAuthException(ErrorDetails details)
    : std::runtime_error(what_line(details)),
      details_(std::make_shared<const ErrorDetails>(std::move(details))) {}

namespace {
ErrorDetails local_error(ErrorCategory category, std::string error_message) {
  ErrorDetails details;
  details.category = category;
  details.error_message = std::move(error_message);
  return details;
}
}  // namespace

OAuthException::OAuthException(ErrorCategory category, std::string error_message)
    : OAuthException(local_error(category, std::move(error_message))) {}

}  // namespace instagram::oauth
