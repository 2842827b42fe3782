#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/known_errors.hpp>
#include <instagram/oauth/error.hpp>

#include <string>
#include <utility>

namespace instagram::oauth {
namespace {

// One line, shown as written: every character a terminal would act on (an answer's newlines,
// escapes, C1 controls, bidirectional overrides) becomes a space.
void append_one_line(std::string& out, std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t control = detail::terminal_control_at(text, at).length;
    if (control == 0) {
      out.push_back(text[at++]);
    } else {
      out.push_back(' ');
      at += control;
    }
  }
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

// The remedy for Meta's setup and token errors that fill its support forums.
std::string hint_for(const ErrorDetails& details) {
  // What the user in front of the browser can do about a state that does not check out.
  if (details.category == ErrorCategory::state_mismatch) {
    return "start the sign-in again from this browser: the one that came back expired, began "
           "in another browser, or was altered";
  }
  if (details.category != ErrorCategory::api) return {};
  return std::string(detail::known_error_remedy(
      detail::classify_api_error(details.error_message, details.code, details.error_subcode)));
}

std::shared_ptr<const detail::StoredError> store(ErrorDetails details) {
  std::string what = what_line(details);
  std::string hint = hint_for(details);
  return std::make_shared<const detail::StoredError>(
      detail::StoredError{std::move(details), std::move(what), std::move(hint)});
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
    case ErrorCategory::cancelled:
      return "cancelled";
    case ErrorCategory::invalid_signature:
      return "invalid_signature";
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
