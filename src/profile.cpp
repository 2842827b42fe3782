#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/profile.hpp>

#include "json_answer.hpp"
#include "secret_mask.hpp"
#include "transport_call.hpp"

#include <utility>

namespace instagram::oauth {
namespace {

using nlohmann::json;

constexpr const char* default_fields = "user_id,username,name,account_type,profile_picture_url";

// A count as a JSON number or a string of digits; nullopt when absent; false when invalid.
bool read_count(const json& fields, const char* key, std::optional<std::uint64_t>& into) {
  const auto found = fields.find(key);
  if (found == fields.end() || found->is_null()) return true;
  const std::optional<std::string> digits = detail::decimal_field(*found);
  if (!digits || digits->size() > 19) return false;
  into = std::stoull(*digits);
  return true;
}

Result<UserProfile> read_profile(const HttpResponse& response, detail::Secrets secrets) {
  const detail::Answer context{response, secrets};
  json answer;
  if (std::optional<OAuthException> error = context.parse(answer)) return std::move(*error);
  const json* fields = detail::unwrapped(answer);
  if (fields == nullptr || !fields->is_object()) {
    return context.unexpected("the profile answer is not a JSON object");
  }
  UserProfile profile;
  for (const auto& [key, into] : {std::pair{"id", &profile.id}, {"user_id", &profile.user_id}}) {
    const auto found = fields->find(key);
    if (found == fields->end()) continue;
    std::optional<std::string> digits = detail::id_field(*found);
    if (!digits) {
      return context.unexpected(std::string("the profile's ") + key + " is not a decimal integer");
    }
    *into = std::move(*digits);
  }
  if (profile.id.empty() && profile.user_id.empty()) {
    return context.unexpected("the profile answer has no id");
  }
  for (const auto& [key, into] : {std::pair{"username", &profile.username},
                                  {"name", &profile.name},
                                  {"account_type", &profile.account_type},
                                  {"profile_picture_url", &profile.profile_picture_url}}) {
    *into = detail::string_field(*fields, key);
    if (detail::has_control(*into)) {
      return context.unexpected(std::string("the profile's ") + key +
                                " contains control characters");
    }
  }
  for (const auto& [key, into] : {std::pair{"followers_count", &profile.followers_count},
                                  {"follows_count", &profile.follows_count},
                                  {"media_count", &profile.media_count}}) {
    if (!read_count(*fields, key, *into)) {
      return context.unexpected(std::string("the profile's ") + key + " is not a count");
    }
  }
  return profile;
}

// The token travels in the URL: it is masked out of errors with the client secret.
using ProfileAnswer = detail::MaskedAnswer<UserProfile, &read_profile>;

}  // namespace

ProfileClient::ProfileClient(AppConfig config, const ClientOptions& options)
    : ProfileClient(Unchecked{}, std::move(config), make_curl_transport(options)) {}

ProfileClient::ProfileClient(AppConfig config, std::shared_ptr<HttpTransport> transport)
    : ProfileClient(Unchecked{}, std::move(config), std::move(transport)) {}

ProfileClient::ProfileClient(Unchecked, AppConfig config, std::shared_ptr<HttpTransport> transport)
    : client_secret_(std::move(config.client_secret)),
      transport_(std::move(transport)),
      telemetry_(transport_ ? transport_->telemetry() : nullptr),
      config_problem_(detail::check_url("endpoints.graph", config.endpoints.graph)),
      default_fields_(default_fields) {
  if (!transport_) config_problem_ = "the transport is null";
  std::string graph = config.endpoints.graph;
  while (!graph.empty() && graph.back() == '/') graph.pop_back();
  me_url_ = graph + '/';
  if (!config.endpoints.graph_version.empty()) me_url_ += config.endpoints.graph_version + '/';
  me_url_ += "me?fields=";
}

Result<ProfileClient> ProfileClient::create(AppConfig config, const ClientOptions& options) {
  return detail::usable_curl_transport(options).and_then(
      [&](std::shared_ptr<HttpTransport> transport) {
        return create(std::move(config), std::move(transport));
      });
}

Result<ProfileClient> ProfileClient::create(AppConfig config,
                                            std::shared_ptr<HttpTransport> transport) {
  ProfileClient client(Unchecked{}, std::move(config), std::move(transport));
  if (!client.config_problem_.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, client.config_problem_);
  }
  return client;
}

Result<HttpRequest> ProfileClient::request(std::string_view access_token,
                                           const std::string& fields) const {
  if (!config_problem_.empty())
    return OAuthException(ErrorCategory::invalid_argument, config_problem_);
  if (access_token.empty())
    return OAuthException(ErrorCategory::invalid_argument, "access token is empty");
  HttpRequest request;
  request.url = me_url_;
  detail::append_percent_encoded(request.url, fields);
  request.url += "&access_token=";
  detail::append_percent_encoded(request.url, access_token);
  return request;
}

Result<UserProfile> ProfileClient::me(std::string_view access_token) const {
  return detail::call<UserProfile>(transport_.get(), request(access_token, default_fields_),
                                   ProfileAnswer{client_secret_, std::string(access_token)},
                                   detail::Measure{telemetry_, Endpoint::me, nullptr});
}

Result<UserProfile> ProfileClient::me(
    std::string_view access_token,
    std::vector<std::string> fields) const {  // NOLINT(performance-unnecessary-value-param): API
  std::string joined;
  for (const std::string& field : fields) {
    if (field.empty() || field.find(',') != std::string::npos) {
      return OAuthException(ErrorCategory::invalid_argument,
                            "a profile field is empty or contains a comma");
    }
    if (!joined.empty()) joined += ',';
    joined += field;
  }
  if (joined.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, "no profile field is asked for");
  }
  return detail::call<UserProfile>(transport_.get(), request(access_token, joined),
                                   ProfileAnswer{client_secret_, std::string(access_token)},
                                   detail::Measure{telemetry_, Endpoint::me, nullptr});
}

void ProfileClient::me_async(std::string_view access_token, Callback done,
                             std::shared_ptr<Cancellation> cancellation) const {
  Result<HttpRequest> made = request(access_token, default_fields_);
  if (made) made->cancellation = std::move(cancellation);
  detail::call_async<UserProfile>(
      transport_.get(), std::move(made), ProfileAnswer{client_secret_, std::string(access_token)},
      detail::Measure{telemetry_, Endpoint::me, nullptr}, std::move(done));
}

std::future<Result<UserProfile>> ProfileClient::me_async(std::string_view access_token) const {
  return detail::as_future<UserProfile>(
      [&](Callback done) { me_async(access_token, std::move(done)); });
}

}  // namespace instagram::oauth
