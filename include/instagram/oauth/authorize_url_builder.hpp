/// @file
/// Step 1: the Authorization Window URL. Header-only.
#pragma once

#include <instagram/oauth/config.hpp>
#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/result.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instagram::oauth {

/// Configure with the setters (not thread-safe: one builder per request, or configure once
/// and share it), then build(), which is const and thread-safe. No setter fails: build()
/// reports what is wrong.
///
/// @code
/// const std::string state = generate_state();  // keep it in the user's session
/// Result<std::string> url =
///     AuthorizeUrlBuilder(app).scope("instagram_business_basic").state(state).build();
/// @endcode
class AuthorizeUrlBuilder {
 public:
  /// The client id, redirect URI and authorization endpoint come from `config`.
  explicit AuthorizeUrlBuilder(const AppConfig& config)
      : client_id_(config.client_id),
        redirect_uri_(config.redirect_uri),
        authorize_endpoint_(config.endpoints.authorize),
        required_scope_(config.endpoints.required_scope),
        config_problem_(config_problem(client_id_, redirect_uri_, authorize_endpoint_)) {
    scopes_.reserve(4);
  }

  /// Repeatable; order kept, duplicates dropped (in build()). "a,b" and "a b" add both.
  AuthorizeUrlBuilder& scope(std::string_view permissions) {
    while (!permissions.empty()) {
      const std::size_t end = permissions.find_first_of(", ");
      const std::string_view permission = permissions.substr(0, end);
      if (!permission.empty()) scopes_.emplace_back(permission);
      permissions =
          end == std::string_view::npos ? std::string_view{} : permissions.substr(end + 1);
    }
    return *this;
  }

  /// scope() for each of `permissions`.
  AuthorizeUrlBuilder& scopes(std::initializer_list<std::string_view> permissions) {
    for (const std::string_view permission : permissions) scope(permission);
    return *this;
  }

  /// The CSRF state the redirect must carry back (build() refuses an empty one).
  AuthorizeUrlBuilder& state(std::string_view state) {
    state_.emplace(state);
    return *this;
  }

  /// force_reauth=true: the user logs in again even with a session at Instagram.
  AuthorizeUrlBuilder& force_reauth(bool on) {
    force_reauth_ = on;
    return *this;
  }

  /// enable_fb_login=false hides "Log in with Facebook" on the Authorization Window (sent as
  /// true/false, as Meta's Instagram Login page documents it).
  AuthorizeUrlBuilder& enable_fb_login(bool on) {
    enable_fb_login_ = on;
    return *this;
  }

  /// A parameter after the core ones. Names a server could read as a core parameter
  /// (Redirect_uri, redirect.uri, redirect_uri[]) are refused by build().
  AuthorizeUrlBuilder& extra_param(std::string_view name, std::string_view value) {
    extra_params_.emplace_back(name, value);
    return *this;
  }

  /// The URL, or invalid_argument naming the field at fault. Thread-safe (const); the
  /// builder itself is not shared while it is being configured.
  Result<std::string> build() const {
    if (std::string problem = check(); !problem.empty()) {
      return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
    }
    const std::vector<std::string_view> scopes = unique_scopes();
    std::vector<std::pair<std::string_view, std::string_view>> extra(extra_params_.begin(),
                                                                     extra_params_.end());
    if (force_reauth_) extra.emplace_back("force_reauth", *force_reauth_ ? "true" : "false");
    if (enable_fb_login_)
      extra.emplace_back("enable_fb_login", *enable_fb_login_ ? "true" : "false");
    std::string url = authorize_endpoint_;
    url += authorize_endpoint_.find('?') == std::string::npos ? "?client_id=" : "&client_id=";
    url += client_id_;  // digits only: nothing to encode
    url += "&redirect_uri=";
    detail::append_percent_encoded(url, redirect_uri_);
    url += "&scope=";
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      if (i != 0) url += "%2C";  // the comma that joins the permissions
      detail::append_percent_encoded(url, scopes[i]);
    }
    url += "&response_type=code";
    if (state_) {
      url += "&state=";
      detail::append_percent_encoded(url, *state_);
    }
    for (const auto& [name, value] : extra) {
      url += '&';
      detail::append_percent_encoded(url, name);
      url += '=';
      detail::append_percent_encoded(url, value);
    }
    return url;
  }

 private:
  /// What the configuration gets wrong, found once: it cannot change after construction.
  static std::string config_problem(const std::string& client_id, const std::string& redirect_uri,
                                    const std::string& authorize_endpoint) {
    if (std::string problem = detail::client_id_problem(client_id); !problem.empty())
      return problem;
    if (std::string problem = detail::check_url("redirect_uri", redirect_uri); !problem.empty()) {
      return problem;
    }
    return detail::check_url("endpoints.authorize", authorize_endpoint);
  }

  /// The scopes in their first order, each once: sorted copies find repeats in n log n.
  std::vector<std::string_view> unique_scopes() const {
    std::vector<std::pair<std::string_view, std::size_t>> sorted;
    sorted.reserve(scopes_.size());
    for (std::size_t i = 0; i < scopes_.size(); ++i) sorted.emplace_back(scopes_[i], i);
    std::sort(sorted.begin(), sorted.end());
    std::vector<bool> repeat(scopes_.size(), false);
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].first == sorted[i - 1].first) repeat[sorted[i].second] = true;
    }
    std::vector<std::string_view> unique;
    unique.reserve(scopes_.size());
    for (std::size_t i = 0; i < scopes_.size(); ++i) {
      if (!repeat[i]) unique.emplace_back(scopes_[i]);
    }
    return unique;
  }

  /// How a lenient server might read a parameter name: lower case, '.' and '-' as '_',
  /// without a trailing "[]".
  static std::string normalized_name(std::string_view name) {
    if (name.size() >= 2 && name.substr(name.size() - 2) == "[]") name.remove_suffix(2);
    std::string normal;
    normal.reserve(name.size());
    for (const char c : name) {
      normal += c == '.' || c == '-' ? '_' : detail::ascii_lower(c);
    }
    return normal;
  }

  std::string check() const {
    if (!config_problem_.empty()) return config_problem_;
    if (scopes_.empty()) return "scope is empty: request at least one permission";
    if (!required_scope_.empty() &&
        std::find(scopes_.begin(), scopes_.end(), required_scope_) == scopes_.end()) {
      return "scope must include " + required_scope_ + ", which this endpoint requires";
    }
    if (state_ && state_->empty()) return "state is empty: omit state() or pass a non-empty value";
    std::vector<std::string> names;
    names.reserve(extra_params_.size());
    for (const auto& [name, value] : extra_params_) {
      if (name.empty()) return "extra_param name is empty";
      std::string normal = normalized_name(name);
      for (const char* core : {"client_id", "redirect_uri", "scope", "response_type", "state",
                               "force_reauth", "enable_fb_login"}) {
        if (normal == core) {
          return "extra_param '" + name + "' would override a core parameter (" + core + ")";
        }
      }
      names.push_back(std::move(normal));
    }
    std::sort(names.begin(), names.end());
    const auto twice = std::adjacent_find(names.begin(), names.end());
    if (twice != names.end()) return "extra_param '" + *twice + "' is given twice";
    return {};
  }

  std::string client_id_;
  std::string redirect_uri_;
  std::string authorize_endpoint_;
  std::string required_scope_;
  std::string config_problem_;  ///< empty when the configuration is usable
  std::vector<std::string> scopes_;
  std::optional<std::string> state_;
  std::optional<bool> force_reauth_;
  std::optional<bool> enable_fb_login_;
  std::vector<std::pair<std::string, std::string>> extra_params_;
};

}  // namespace instagram::oauth
