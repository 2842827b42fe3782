#include "cli.hpp"

#include <instagram/oauth/detail/checks.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>

namespace instagram::oauth::cli {

ExitCode exit_code_for(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::authorization_denied:
      return denied;
    case ErrorCategory::api:
      return api_error;
    case ErrorCategory::transport:
    case ErrorCategory::timeout:
    case ErrorCategory::system:
    case ErrorCategory::cancelled:
      return network;
    case ErrorCategory::invalid_redirect:
    case ErrorCategory::invalid_response:
    case ErrorCategory::state_mismatch:
    case ErrorCategory::invalid_signature:
      return invalid;
    case ErrorCategory::invalid_argument:
      return usage;
  }
  return usage;
}

bool json_errors = false;

int report(const OAuthException& error) {
  if (json_errors) {
    nlohmann::json answer = {{"error", to_string(error.category())},
                             {"message", error.error_message()}};
    if (!error.hint().empty()) answer["hint"] = error.hint();
    if (error.code() != 0) answer["code"] = error.code();
    if (error.http_status() != 0) answer["http_status"] = error.http_status();
    std::cerr << answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return exit_code_for(error.category());
  }
  std::cerr << error.what() << '\n';
  if (!error.hint().empty()) std::cerr << "hint: " << error.hint() << '\n';
  return exit_code_for(error.category());
}

int usage_error(const std::string& message) {
  return report(OAuthException(ErrorCategory::invalid_argument, message));
}

std::optional<std::string> read_secret(const char* variable, const std::string& file) {
  if (!file.empty()) {
    struct stat status {};
    if (::stat(file.c_str(), &status) == 0 && (status.st_mode & (S_IRGRP | S_IROTH)) != 0) {
      std::cerr << "warning: " << file
                << " is readable by other users; keep a secret's file to its owner (chmod 600)\n";
    }
    std::ifstream in(file, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return std::nullopt;
    // Exactly what the file holds but one trailing line break ("\n" or "\r\n").
    if (!content.empty() && content.back() == '\n') content.pop_back();
    if (!content.empty() && content.back() == '\r') content.pop_back();
    if (content.empty() || content.find('\n') != std::string::npos) return std::nullopt;
    return content;
  }
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Endpoints endpoints_for(const std::string& api) {
  return api == "basic-display" ? Endpoints::basic_display() : Endpoints::instagram_login();
}

AppConfig Connection::app_config(std::string client_secret) const {
  AppConfig config;
  config.client_id = client_id;
  config.client_secret = std::move(client_secret);
  config.redirect_uri = redirect_uri;
  config.endpoints = endpoints_for(api);
  if (!endpoint_base.empty()) config.endpoints = config.endpoints.at(endpoint_base);
  return config;
}

ClientOptions Connection::client_options() const {
  ClientOptions options;
  options.ca_file = ca_file;
  options.total_timeout = std::chrono::milliseconds(timeout_ms);
  // The library still refuses plain http to anything but a loopback host.
  options.allow_plain_http = endpoint_base.rfind("http://", 0) == 0;
  return options;
}

std::optional<AppConfig> app_with_secret(const Connection& connection) {
  std::optional<std::string> secret =
      read_secret("INSTAGRAM_CLIENT_SECRET", connection.client_secret_file);
  if (!secret) {
    usage_error(
        "the client secret comes from $INSTAGRAM_CLIENT_SECRET or --client-secret-file, never "
        "argv");
    return std::nullopt;
  }
  return connection.app_config(std::move(*secret));
}

namespace {

std::string shown_token(const AccessToken& token, const TokenOutput& output) {
  return output.show_token ? token.access_token : redacted(token.access_token);
}

std::string utc_time(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace

std::string text(std::string_view value) {
  const std::string quoted = nlohmann::json(std::string(value))
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // JSON escapes C0 controls; DEL, C1 controls, separators and bidirectional controls pass
  // through it, so they are escaped the same way here.
  const std::string_view inner = std::string_view(quoted).substr(1, quoted.size() - 2);
  std::string out;
  out.reserve(inner.size());
  for (std::size_t at = 0; at < inner.size();) {
    const detail::TerminalControl control = detail::terminal_control_at(inner, at);
    if (control.length == 0) {
      out.push_back(inner[at++]);
      continue;
    }
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(control.code_point));
    out += escaped;
    at += control.length;
  }
  return out;
}

void print_profile(std::ostream& out, const UserProfile& profile, const TokenOutput& output) {
  if (output.json) {
    nlohmann::json answer = {{"id", profile.id},
                             {"user_id", profile.user_id},
                             {"username", profile.username},
                             {"name", profile.name},
                             {"account_type", profile.account_type},
                             {"profile_picture_url", profile.profile_picture_url}};
    for (const auto& [key, count] : {std::pair{"followers_count", &profile.followers_count},
                                     {"follows_count", &profile.follows_count},
                                     {"media_count", &profile.media_count}}) {
      if (*count) answer[key] = **count;
    }
    out << answer.dump() << '\n';
    return;
  }
  out << "signed in as: @" << text(profile.username) << " (user_id " << profile.user_id
      << ", app-scoped id " << profile.id << ")\n";
  if (!profile.name.empty()) out << "name:         " << text(profile.name) << '\n';
  if (!profile.account_type.empty()) out << "account_type: " << text(profile.account_type) << '\n';
}

void print_token(std::ostream& out, const AccessToken& token, const TokenOutput& output) {
  if (output.json) {
    nlohmann::json answer = {{"access_token", shown_token(token, output)},
                             {"user_id", token.user_id}};
    answer["access_token_redacted"] = !output.show_token;
    if (!token.permissions.empty()) answer["permissions"] = token.permissions;
    if (!token.token_type.empty()) answer["token_type"] = token.token_type;
    if (token.expires_in) answer["expires_in"] = token.expires_in->count();
    if (token.expires_at) answer["expires_at"] = utc_time(*token.expires_at);
    if (token.received_at) answer["received_at"] = utc_time(*token.received_at);
    out << answer.dump() << '\n';
    return;
  }
  out << "access_token: " << text(shown_token(token, output)) << '\n';
  if (!token.user_id.empty()) out << "user_id:      " << text(token.user_id) << '\n';
  if (!token.permissions.empty()) {
    out << "permissions:  ";
    for (std::size_t i = 0; i < token.permissions.size(); ++i)
      out << (i ? "," : "") << text(token.permissions[i]);
    out << '\n';
  }
  if (!token.token_type.empty()) out << "token_type:   " << text(token.token_type) << '\n';
  if (token.expires_in) {
    out << "expires_in:   " << token.expires_in->count() << " s";
    if (token.expires_at) out << " (at " << utc_time(*token.expires_at) << ')';
    out << '\n';
  }
}

int print_result(const Result<AccessToken>& token, const TokenOutput& output) {
  if (!token) return report(token.error());
  print_token(std::cout, *token, output);
  return success;
}

bool start_mock(std::optional<testing::InstagramMock>& mock, const testing::MockOptions& options) {
  try {
    mock.emplace(options);
    return true;
  } catch (const std::exception& error) {
    std::cerr << "transport: the look-alike could not start: " << error.what() << '\n';
    return false;
  }
}

}  // namespace instagram::oauth::cli
