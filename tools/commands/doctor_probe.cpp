#include "doctor_probe.hpp"

#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/proxy.hpp>
#include <instagram/oauth/detail/url.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace instagram::oauth::cli {
namespace {

CURL* new_easy(const std::string& url, const Connection& connection) {
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return nullptr;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, connection.timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(connection.timeout_ms, 10'000L));
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  if (!connection.ca_file.empty())
    curl_easy_setopt(easy, CURLOPT_CAINFO, connection.ca_file.c_str());
  // As the library: plain http (a loopback look-alike) never goes through a proxy.
  if (!is_https(url)) curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
  return easy;
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  auto& text = *static_cast<std::string*>(out);
  const std::size_t bytes = size * count;
  if (text.size() < 64 * 1024) text.append(data, std::min(bytes, 64 * 1024 - text.size()));
  return bytes;
}

std::size_t header_line(char* data, std::size_t size, std::size_t count, void* out) {
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos && detail::iequals(line.substr(0, colon), "date")) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    *static_cast<std::string*>(out) = std::string(value);
  }
  return size * count;
}

}  // namespace

bool is_https(const std::string& url) {
  const auto parts = detail::split_url(url);
  return parts && detail::iequals(parts->scheme, "https");
}

Probe probe(const std::string& url, const Connection& connection, ProbeKind kind) {
  Probe result;
  CURL* easy = new_easy(url, connection);
  if (easy == nullptr) {
    result.error = "libcurl could not create a handle";
    return result;
  }
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
  if (kind == ProbeKind::get) {
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &header_line);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &result.date);
  } else {
    curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  }
  const CURLcode code = curl_easy_perform(easy);
  result.reached = code == CURLE_OK;
  // libcurl quotes the proxy in its messages (a malformed one whole): its credentials go.
  if (!result.reached) {
    result.error = detail::mask_proxy_credentials(
        error[0] != '\0' ? error : curl_easy_strerror(code), detail::proxy_credentials());
  }
  double seconds = 0;
  curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME, &seconds);
  result.dns_ms = seconds * 1000;
  curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME, &seconds);
  result.connect_ms = seconds * 1000 - result.dns_ms;
  double handshake = 0;
  curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME, &handshake);
  result.tls_ms = handshake > 0 ? (handshake - seconds) * 1000 : 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
#if LIBCURL_VERSION_NUM >= 0x075400
  char* ca = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CAINFO, &ca) == CURLE_OK && ca != nullptr) result.ca = ca;
#endif
  curl_easy_cleanup(easy);
  if (!connection.ca_file.empty()) result.ca = connection.ca_file;
  return result;
}

std::string origin_of(const std::string& url) {
  const auto parts = detail::split_url(url);
  if (!parts) return url;
  return std::string(parts->scheme) + "://" + std::string(parts->host) + ":" +
         std::to_string(parts->port);
}

std::string proxy_in_effect(const std::string& url) {
  if (!is_https(url)) return "none (plain http never uses a proxy)";
  for (const char* variable : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(variable);  // NOLINT(concurrency-mt-unsafe): one thread
    if (value != nullptr && *value != '\0') {
      return text(detail::mask_proxy_credentials(value, detail::proxy_credentials())) + " (" +
             variable + "; no_proxy may exempt this host)";
    }
  }
  return "none";
}

}  // namespace instagram::oauth::cli
