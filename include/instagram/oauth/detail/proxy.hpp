// A proxy's credentials, which libcurl quotes in its messages: found once, masked wherever
// such a message is shown (the engine's errors, the command's doctor). Header-only, so that
// the command shares it with the library in a shared build too.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth::detail {

/// What masks a secret wherever text is shown.
inline constexpr std::string_view redaction_marker = "(redacted)";

/// `text` with every occurrence of `secret`, of any length, replaced by "(redacted)".
inline std::string mask_known(std::string_view text, std::string_view secret) {
  if (secret.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t at = text.find(secret); at != std::string_view::npos;
       at = text.find(secret, copied)) {
    out.append(text.substr(copied, at - copied));
    out.append(redaction_marker);
    copied = at + secret.size();
  }
  out.append(text.substr(copied));
  return out;
}

/// The user information ("alice:S3cret") of the configured proxy and of every proxy variable
/// libcurl reads from the environment; read when called (not thread-safe with setenv).
inline std::vector<std::string> proxy_credentials(std::string_view configured = {}) {
  std::vector<std::string> credentials;
  const auto add = [&](std::string_view proxy) {
    const std::size_t at = proxy.rfind('@');
    if (at == std::string_view::npos) return;
    const std::size_t scheme = proxy.find("://");
    const std::size_t start = scheme != std::string_view::npos && scheme < at ? scheme + 3 : 0;
    if (at > start) credentials.emplace_back(proxy.substr(start, at - start));
  };
  add(configured);
  for (const char* variable :
       {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the environment is read, never written
    if (const char* value = std::getenv(variable)) add(value);
  }
  return credentials;
}

/// `text` with each of `credentials` masked.
inline std::string mask_proxy_credentials(std::string text,
                                          const std::vector<std::string>& credentials) {
  for (const std::string& secret : credentials) text = mask_known(text, secret);
  return text;
}

}  // namespace instagram::oauth::detail
