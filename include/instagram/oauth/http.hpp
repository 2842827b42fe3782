// The one seam between TokenExchanger and the network.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth {

enum class FormEncoding { urlencoded, multipart };

struct HttpRequest {
  std::string method;  // "POST" (with form) or "GET"
  std::string url;     // a secret when it carries client_secret or a token: never logged
  std::vector<std::pair<std::string, std::string>> form;
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends once: a request that may have reached the server is never retried.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  std::size_t max_response_bytes = 1 << 20;  // larger answers: invalid_response
  std::string ca_file;                       // empty: the system CA store
  std::string proxy;       // empty: libcurl's default (honours https_proxy, no_proxy)
  std::string user_agent;  // empty: "instagram-oauth-cpp/<version>"
  FormEncoding form_encoding = FormEncoding::urlencoded;  // or multipart, as the document's curl -F
  bool allow_plain_http = false;    // only loopback test servers; https everywhere else
  std::size_t max_connections = 4;  // pooled handles; more concurrent callers wait for one
};

// libcurl behind the seam: TLS verification always on, redirects never followed,
// a pool of reused connections, safe to share between threads.
INSTAGRAM_OAUTH_EXPORT std::shared_ptr<HttpTransport> make_curl_transport(
    const ClientOptions& options = {});

}  // namespace instagram::oauth
