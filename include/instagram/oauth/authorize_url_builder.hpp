// Step 1: the Authorization Window URL. Header-only.
#pragma once

#include <instagram/oauth/config.hpp>
#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/result.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instagram::oauth {

class AuthorizeUrlBuilder {
 public:
  explicit AuthorizeUrlBuilder(const AppConfig& config)
      : client_id_(config.client_id),
        redirect_uri_(config.redirect_uri),
        authorize_endpoint_(config.endpoints.authorize),
        required_scope_(config.endpoints.required_scope),
        config_problem_(config_problem(client_id_, redirect_uri_, authorize_endpoint_)) {
    scopes_.reserve(4);
  }

  // Repeatable; order kept, duplicates dropped. "a,b" and "a b" add both permissions.
  AuthorizeUrlBuilder& scope(std::string_view permissions) {
    while (!permissions.empty()) {
      const std::size_t end = permissions.find_first_of(", ");
      const std::string_view permission = permissions.substr(0, end);
      if (!permission.empty() && !has_scope(permission)) {
        scopes_.emplace_back(permission);
      }
      permissions =
          end == std::string_view::npos ? std::string_view{} : permissions.substr(end + 1);
    }
    return *this;
  }

  AuthorizeUrlBuilder& scopes(std::initializer_list<std::string_view> permissions) {
    for (const std::string_view permission : permissions) scope(permission);
    return *this;
  }

  AuthorizeUrlBuilder& state(std::string_view state) {
    state_.emplace(state);
    return *this;
  }

  // A parameter after the core ones, e.g. force_reauth=true.
  AuthorizeUrlBuilder& extra_param(std::string_view name, std::string_view value) {
    extra_params_.emplace_back(name, value);
    return *this;
  }

  // The URL, or invalid_argument naming the field at fault.
  Result<std::string> build() const {
    if (std::string problem = check(); !problem.empty()) {
      return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
    }
    // The longest the URL can be, every byte escaped: one allocation.
    std::size_t longest =
        authorize_endpoint_.size() + client_id_.size() + 3 * redirect_uri_.size() + 64;
    for (const std::string& permission : scopes_) longest += 3 * permission.size() + 3;
    if (state_) longest += 7 + 3 * state_->size();
    for (const auto& [name, value] : extra_params_) longest += 2 + 3 * (name.size() + value.size());
    std::string url;
    url.reserve(longest);
    url += authorize_endpoint_;
    url += authorize_endpoint_.find('?') == std::string::npos ? "?client_id=" : "&client_id=";
    url += client_id_;  // digits only: nothing to encode
    url += "&redirect_uri=";
    detail::append_percent_encoded(url, redirect_uri_);
    url += "&scope=";
    for (std::size_t i = 0; i < scopes_.size(); ++i) {
      if (i != 0) url += "%2C";  // the comma that joins the permissions
      detail::append_percent_encoded(url, scopes_[i]);
    }
    url += "&response_type=code";
    if (state_) {
      url += "&state=";
      detail::append_percent_encoded(url, *state_);
    }
    for (const auto& [name, value] : extra_params_) {
      url += '&';
      detail::append_percent_encoded(url, name);
      url += '=';
      detail::append_percent_encoded(url, value);
    }
    return url;
  }

 private:
  // What the configuration gets wrong, found once: it cannot change after construction.
  static std::string config_problem(const std::string& client_id, const std::string& redirect_uri,
                                    const std::string& authorize_endpoint) {
    if (std::string problem = detail::client_id_problem(client_id); !problem.empty())
      return problem;
    if (std::string problem = detail::check_url("redirect_uri", redirect_uri); !problem.empty()) {
      return problem;
    }
    return detail::check_url("endpoints.authorize", authorize_endpoint);
  }

  bool has_scope(std::string_view permission) const noexcept {
    for (const std::string& scope : scopes_) {
      if (scope == permission) return true;
    }
    return false;
  }

  std::string check() const {
    if (!config_problem_.empty()) return config_problem_;
    if (scopes_.empty()) return "scope is empty: request at least one permission";
    if (!required_scope_.empty() && !has_scope(required_scope_)) {
      return "scope must include " + required_scope_ + ", which this endpoint requires";
    }
    if (state_ && state_->empty()) return "state is empty: omit state() or pass a non-empty value";
    for (std::size_t i = 0; i < extra_params_.size(); ++i) {
      const std::string& name = extra_params_[i].first;
      if (name.empty()) return "extra_param name is empty";
      if (name == "client_id" || name == "redirect_uri" || name == "scope" ||
          name == "response_type" || name == "state") {
        return "extra_param '" + name + "' would override a core parameter";
      }
      for (std::size_t earlier = 0; earlier < i; ++earlier) {
        if (extra_params_[earlier].first == name)
          return "extra_param '" + name + "' is given twice";
      }
    }
    return {};
  }

  std::string client_id_;
  std::string redirect_uri_;
  std::string authorize_endpoint_;
  std::string required_scope_;
  std::string config_problem_;  // empty when the configuration is usable
  std::vector<std::string> scopes_;
  std::optional<std::string> state_;
  std::vector<std::pair<std::string, std::string>> extra_params_;
};

}  // namespace instagram::oauth
