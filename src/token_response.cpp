#include "token_response.hpp"

#include "json_answer.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace instagram::oauth::detail {
namespace {

using nlohmann::json;

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
  const json* fields = unwrapped(answer);
  if (fields == nullptr) return context.unexpected("the answer's data is not a list of tokens");
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
    // Printed by tools and shown on pages: a line break or an escape would forge output.
    for (const std::string& permission : result.permissions) {
      if (has_control(permission)) {
        return context.unexpected("the answer's permissions contain control characters");
      }
    }
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
  json answer;
  if (std::optional<OAuthException> error = context.parse(answer)) return std::move(*error);
  return read_success(answer, context, received);
}

}  // namespace instagram::oauth::detail
