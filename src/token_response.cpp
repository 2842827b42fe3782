#include "token_response.hpp"

#include "secret_mask.hpp"

#include <instagram/oauth/detail/checks.hpp>

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace instagram::oauth::detail {
namespace {

using nlohmann::json;

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// The answer being read, and the secrets that must not show in anything made from it.
struct Answer {
  const HttpResponse& response;
  Secrets secrets;

  // An answer that is not what the endpoint documents, with a masked excerpt of it.
  OAuthException unexpected(std::string message,
                            ErrorCategory category = ErrorCategory::invalid_response) const {
    return error(std::move(message), category, body_excerpt(response.body, secrets));
  }

  // A proxy's HTML page, a truncated body, an empty one: say so. The body's text stays
  // in body_excerpt(), out of the message and what(): they are shown and logged.
  // 408 and 504 mean a time limit elapsed somewhere on the way.
  OAuthException not_json() const {
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

 private:
  OAuthException error(std::string message, ErrorCategory category, std::string excerpt) const {
    ErrorDetails details;
    details.category = category;
    details.http_status = response.status;
    details.body_excerpt = std::move(excerpt);
    details.error_message = std::move(message);
    return OAuthException(std::move(details));
  }
};

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
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

// An id: exact digits, no leading zero, at most 20 digits (2^64 has 20).
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

// "a,b", "a, b" or ["a","b"].
std::optional<std::vector<std::string>> permission_list(const json& value) {
  std::vector<std::string> permissions;
  if (value.is_string()) {
    std::string_view text = value.get_ref<const std::string&>();
    while (!text.empty()) {
      const std::size_t comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) permissions.emplace_back(item);
      text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return permissions;
  }
  if (value.is_array()) {
    for (const json& item : value) {
      if (!item.is_string()) return std::nullopt;
      permissions.push_back(item.get<std::string>());
    }
    return permissions;
  }
  return std::nullopt;
}

Result<AccessToken> read_success(const json& answer, const Answer& context,
                                 std::chrono::system_clock::time_point received) {
  const json* fields = &answer;
  if (answer.is_object()) {
    if (const auto data = answer.find("data"); data != answer.end()) {
      if (!data->is_array() || data->empty() || !data->front().is_object()) {
        return context.unexpected("the answer's data is not a list of tokens");
      }
      fields = &data->front();
    }
  }
  if (!fields->is_object()) return context.unexpected("the answer is not a JSON object");
  const auto token = fields->find("access_token");
  if (token == fields->end() || !token->is_string() ||
      token->get_ref<const std::string&>().empty()) {
    return context.unexpected("the answer has no access_token");
  }
  AccessToken result;
  result.access_token = token->get<std::string>();
  // A token goes into headers and URLs: a line break or NUL in it would be an injection.
  if (has_control(result.access_token)) {
    return context.unexpected("the answer's access_token contains control characters");
  }
  if (const auto user_id = fields->find("user_id"); user_id != fields->end()) {
    std::optional<std::string> digits = id_field(*user_id);
    if (!digits) return context.unexpected("the answer's user_id is not a decimal integer");
    result.user_id = std::move(*digits);
  }
  if (const auto permissions = fields->find("permissions"); permissions != fields->end()) {
    auto list = permission_list(*permissions);
    if (!list)
      return context.unexpected("the answer's permissions are neither a list nor a string");
    result.permissions = std::move(*list);
  }
  result.token_type = string_field(*fields, "token_type");
  if (has_control(result.token_type)) {
    return context.unexpected("the answer's token_type contains control characters");
  }
  if (const auto expires_in = fields->find("expires_in"); expires_in != fields->end()) {
    const std::optional<std::string> digits = decimal_field(*expires_in);
    if (!digits || digits->size() > 12) {
      return context.unexpected("the answer's expires_in is not a number of seconds");
    }
    // Instagram's tokens live 60 days; far larger values would overflow the time point.
    constexpr long long longest = 10LL * 366 * 24 * 60 * 60;
    const long long seconds = std::stoll(*digits);
    if (seconds > longest) {
      return context.unexpected("the answer's expires_in is more than 10 years");
    }
    result.expires_in = std::chrono::seconds(seconds);
    result.expires_at = received + *result.expires_in;
  }
  result.received_at = received;
  return result;
}

}  // namespace

Result<AccessToken> read_token_response(const HttpResponse& response,
                                        std::chrono::system_clock::time_point received,
                                        Secrets secrets) {
  const Answer context{response, secrets};
  const json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) return context.not_json();
  if (answer.is_object()) {
    if (std::optional<OAuthException> error = api_error(answer, response)) return std::move(*error);
  }
  if (!is_success(response.status)) {
    return context.unexpected("the answer is HTTP " + std::to_string(response.status) +
                              " with JSON that is not an Instagram error");
  }
  return read_success(answer, context, received);
}

}  // namespace instagram::oauth::detail
