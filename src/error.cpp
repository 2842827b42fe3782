#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/error.hpp>

#include <string>
#include <utility>

namespace instagram::oauth {
namespace {

// One line: control characters (an answer's newlines among them) become spaces.
void append_one_line(std::string& out, std::string_view text) {
  for (const char c : text) out.push_back(detail::is_control(c) ? ' ' : c);
}

// "api: Matching code was not found or was already used (OAuthException, code 400, HTTP 400)"
std::string what_line(const ErrorDetails& details) {
  std::string line(to_string(details.category));
  line.reserve(line.size() + details.error_message.size() + details.error_type.size() +
               details.error_reason.size() + 48);
  line += ": ";
  append_one_line(line, details.error_message);
  bool first = true;
  const auto add = [&](std::string_view part) {
    if (part.empty()) return;
    line += first ? " (" : ", ";
    first = false;
    append_one_line(line, part);
  };
  const auto add_number = [&](const char* label, int number) {
    if (number != 0) add(label + std::to_string(number));
  };
  add(details.error_type);
  add(details.error_reason);
  add_number("code ", details.code);
  add_number("subcode ", details.error_subcode);
  add_number("HTTP ", details.http_status);
  if (!first) line += ')';
  return line;
}

std::shared_ptr<const detail::StoredError> store(ErrorDetails details) {
  std::string what = what_line(details);
  return std::make_shared<const detail::StoredError>(
      detail::StoredError{std::move(details), std::move(what)});
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

// The base keeps an empty message (no allocation); what() reads the shared line.
OAuthException::OAuthException(ErrorDetails details)
    : std::runtime_error(""), stored_(store(std::move(details))) {}

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
