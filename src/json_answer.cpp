#include "json_answer.hpp"

#include <instagram/oauth/detail/checks.hpp>

#include <limits>
#include <string_view>
#include <utility>

namespace instagram::oauth::detail {
namespace {

using nlohmann::json;

bool is_success(int status) {
  return status >= 200 && status < 300;
}

int int_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer() && it->get<long long>() >= std::numeric_limits<int>::min() &&
      it->get<long long>() <= std::numeric_limits<int>::max()) {
    return static_cast<int>(it->get<long long>());
  }
  if (it->is_string()) {
    const std::string text = it->get<std::string>();
    if (is_decimal(text) && text.size() < 10) return std::stoi(text);
  }
  return 0;
}

// The token endpoint's {"error_type","code","error_message"}, graph's
// {"error":{"message","type","code","error_subcode","fbtrace_id"}} and RFC 6749's
// {"error","error_description"}; nullopt when the object is none of them.
std::optional<OAuthException> api_error(const json& answer, const HttpResponse& response) {
  ErrorDetails details;
  details.category = ErrorCategory::api;
  details.http_status = response.status;
  const auto error = answer.find("error");
  if (answer.contains("error_type") || answer.contains("error_message")) {
    details.error_type = string_field(answer, "error_type");
    details.code = int_field(answer, "code");
    details.error_message = string_field(answer, "error_message");
  } else if (error != answer.end() && error->is_object()) {
    details.error_type = string_field(*error, "type");
    details.code = int_field(*error, "code");
    details.error_message = string_field(*error, "message");
    details.error_subcode = int_field(*error, "error_subcode");
    details.fbtrace_id = string_field(*error, "fbtrace_id");
  } else if (error != answer.end() && error->is_string()) {
    details.error_type = error->get<std::string>();
    details.error_message = string_field(answer, "error_description");
  } else {
    return std::nullopt;
  }
  if (details.error_message.empty())
    details.error_message = "Instagram answered with an error and no message";
  return OAuthException(std::move(details));
}

}  // namespace

std::optional<OAuthException> Answer::parse(json& into) const {
  into = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (into.is_discarded()) return not_json();
  if (into.is_object()) {
    if (std::optional<OAuthException> error = api_error(into, response)) return error;
  }
  if (!is_success(response.status)) {
    return unexpected("the answer is HTTP " + std::to_string(response.status) +
                      " with JSON that is not an Instagram error");
  }
  return std::nullopt;
}

OAuthException Answer::unexpected(std::string message) const {
  return error(std::move(message), ErrorCategory::invalid_response,
               body_excerpt(response.body, secrets));
}

// A proxy's HTML page, a truncated body, an empty one: say so. The body's text stays in
// body_excerpt(), out of the message and what(): they are shown and logged.
// 408 and 504 mean a time limit elapsed somewhere on the way.
OAuthException Answer::not_json() const {
  std::string excerpt = body_excerpt(response.body, secrets);
  std::string message = response.body.empty() ? "the answer is empty" : "the answer is not JSON";
  message += " (HTTP " + std::to_string(response.status);
  if (!response.content_type.empty()) message += ", " + response.content_type;
  message += ')';
  const bool timed_out = response.status == 408 || response.status == 504;
  return error(std::move(message),
               timed_out ? ErrorCategory::timeout : ErrorCategory::invalid_response,
               std::move(excerpt));
}

OAuthException Answer::error(std::string message, ErrorCategory category,
                             std::string excerpt) const {
  ErrorDetails details;
  details.category = category;
  details.http_status = response.status;
  details.body_excerpt = std::move(excerpt);
  details.error_message = std::move(message);
  return OAuthException(std::move(details));
}

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A JSON number or string of decimal digits, kept exactly: ids exceed 2^53, so never a double.
std::optional<std::string> decimal_field(const json& value) {
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return std::to_string(value.get<std::int64_t>());
  }
  if (value.is_string() && is_decimal(value.get_ref<const std::string&>())) {
    return value.get<std::string>();
  }
  return std::nullopt;
}

std::optional<std::string> id_field(const json& value) {
  std::optional<std::string> digits = decimal_field(value);
  if (!digits || digits->size() > 20 || (digits->size() > 1 && digits->front() == '0')) {
    return std::nullopt;
  }
  return digits;
}

bool has_control(std::string_view text) {
  for (const char c : text) {
    if (is_control(c)) return true;
  }
  return false;
}

const json* unwrapped(const json& answer) {
  if (!answer.is_object()) return &answer;
  const auto data = answer.find("data");
  if (data == answer.end()) return &answer;
  if (!data->is_array() || data->empty() || !data->front().is_object()) return nullptr;
  return &data->front();
}

}  // namespace instagram::oauth::detail
