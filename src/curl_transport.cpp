// HttpTransport over libcurl, used the way its authors ask: global init once, one easy
// handle per caller at a time (a small pool, each handle keeping its connection alive),
// every invariant option set once per handle, bodies capped in the write callback.
#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/version.hpp>

#include <curl/curl.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth {
namespace {

const std::string& global_init_problem() {
  static std::once_flag once;
  static std::string problem;
  std::call_once(once, [] {
    // Never paired with curl_global_cleanup: other code in the process may use libcurl.
    if (const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
      problem = std::string("libcurl could not be initialised: ") + curl_easy_strerror(code);
    }
  });
  return problem;
}

struct CurlEasyDeleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime* mime) const noexcept { curl_mime_free(mime); }
};

// One pooled easy handle and the buffers that live as long as it does.
struct Handle {
  std::unique_ptr<CURL, CurlEasyDeleter> easy{curl_easy_init()};
  std::string body;
  std::size_t max_body = 0;
  bool body_too_large = false;
  std::string post_fields;  // CURLOPT_POSTFIELDS points here until the next request
  char error_buffer[CURL_ERROR_SIZE] = {};
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& handle = *static_cast<Handle*>(user);
  const std::size_t bytes = size * count;
  if (bytes > handle.max_body - handle.body.size()) {
    handle.body_too_large = true;  // also for chunked bodies, which CURLOPT_MAXFILESIZE misses
    return 0;
  }
  try {
    handle.body.append(data, bytes);
  } catch (...) {
    return 0;
  }
  return bytes;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(const ClientOptions& options) : options_(options) {
    const std::string agent = options.user_agent.empty() ? std::string("instagram-oauth-cpp/") +
                                                               INSTAGRAM_OAUTH_VERSION_STRING
                                                         : options.user_agent;
    // A line break would let the value add headers of its own to every request.
    for (const char c : agent) {
      if (detail::is_control(c)) {
        options_problem_ = "ClientOptions::user_agent must not contain control characters";
      }
    }
    // A prebuilt header line costs less per request than CURLOPT_USERAGENT.
    headers_.reset(curl_slist_append(nullptr, ("User-Agent: " + agent).c_str()));
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    if (const std::string& problem = global_init_problem(); !problem.empty()) {
      return OAuthException(ErrorCategory::transport, problem);
    }
    if (!options_problem_.empty())
      return OAuthException(ErrorCategory::invalid_argument, options_problem_);
    if (std::string problem = refused_url(request.url); !problem.empty()) {
      return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
    }
    if (request.method != "POST" && request.method != "GET") {
      return OAuthException(ErrorCategory::invalid_argument,
                            "HttpRequest::method must be POST or GET");
    }
    std::unique_ptr<Handle> handle = checkout();
    if (!handle)
      return OAuthException(ErrorCategory::transport, "libcurl could not create a handle");
    Result<HttpResponse> response = perform(*handle, request);
    checkin(std::move(handle));
    return response;
  }

 private:
  // Plain http only when allowed, and only to a loopback host; the scheme itself is also
  // enforced by CURLOPT_PROTOCOLS_STR.
  std::string refused_url(std::string_view url) const {
    const std::string_view scheme = detail::absolute_url_scheme(url);
    if (detail::iequals(scheme, "https")) return {};
    if (detail::iequals(scheme, "http")) {
      const auto parts = detail::split_url(url);
      if (options_.allow_plain_http && parts && detail::is_loopback_host(parts->host)) return {};
      return "plain http is refused: https is required (http only with "
             "ClientOptions::allow_plain_http and a loopback host)";
    }
    return "the request URL must be an absolute https URL";
  }

  std::unique_ptr<Handle> checkout() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      available_.wait(lock, [&] { return !idle_.empty() || created_ < max_handles(); });
      if (!idle_.empty()) {
        std::unique_ptr<Handle> handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
      ++created_;
    }
    std::unique_ptr<Handle> handle = make_handle();
    if (!handle) {
      std::lock_guard<std::mutex> lock(mutex_);
      --created_;
      available_.notify_one();
    }
    return handle;
  }

  void checkin(std::unique_ptr<Handle> handle) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      idle_.push_back(std::move(handle));
    }
    available_.notify_one();
  }

  std::size_t max_handles() const {
    return options_.max_connections == 0 ? 1 : options_.max_connections;
  }

  // Every option that does not change between requests, set once per handle.
  std::unique_ptr<Handle> make_handle() const {
    auto handle = std::make_unique<Handle>();
    CURL* easy = handle->easy.get();
    if (easy == nullptr) return nullptr;
    handle->max_body = options_.max_response_bytes;
    const char* protocols = options_.allow_plain_http ? "http,https" : "https";
    // Comparisons, not branches: one check at the end covers every option.
    bool failed = false;
    const auto set = [&](CURLoption option, auto value) {
      failed |= curl_easy_setopt(easy, option, value) != CURLE_OK;
    };
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_ERRORBUFFER, handle->error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075500
    set(CURLOPT_PROTOCOLS_STR, protocols);
    set(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
#else
    set(CURLOPT_PROTOCOLS,
        options_.allow_plain_http ? long{CURLPROTO_HTTP | CURLPROTO_HTTPS} : long{CURLPROTO_HTTPS});
    (void)protocols;
#endif
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_HTTPHEADER, headers_.get());
    set(CURLOPT_WRITEFUNCTION, &on_body);
    set(CURLOPT_WRITEDATA, handle.get());
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.proxy.empty()) set(CURLOPT_PROXY, options_.proxy.c_str());
    return failed ? nullptr : std::move(handle);
  }

  // URL, method and body: the only options that change per request.
  Result<HttpResponse> perform(Handle& handle, const HttpRequest& request) const {
    CURL* easy = handle.easy.get();
    handle.body.clear();
    handle.body_too_large = false;
    handle.error_buffer[0] = '\0';
    std::unique_ptr<curl_mime, CurlMimeDeleter> mime;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    if (request.method == "GET") {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (options_.form_encoding == FormEncoding::multipart) {
      mime.reset(curl_mime_init(easy));
      for (const auto& [name, value] : request.form) {
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_name(part, name.c_str());
        curl_mime_data(part, value.data(), value.size());
      }
      curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime.get());
    } else {
      handle.post_fields.clear();
      for (const auto& [name, value] : request.form) {
        if (!handle.post_fields.empty()) handle.post_fields += '&';
        detail::append_percent_encoded(handle.post_fields, name);
        handle.post_fields += '=';
        detail::append_percent_encoded(handle.post_fields, value);
      }
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(handle.post_fields.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, handle.post_fields.c_str());
    }
    const CURLcode code = curl_easy_perform(easy);
    if (mime) curl_easy_setopt(easy, CURLOPT_MIMEPOST, static_cast<curl_mime*>(nullptr));
    if (code != CURLE_OK) return failure(handle, code);

    HttpResponse response;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    if (response.status >= 300 && response.status < 400)
      return redirect_refused(handle, response.status);
    const char* content_type = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
      response.content_type = content_type;
    }
    response.body = std::move(handle.body);
    return response;
  }

  // Never followed: the body, the client secret among it, must not go to another place.
  static OAuthException redirect_refused(Handle& handle, long status) {
    std::string message = "the server answered HTTP " + std::to_string(status) + " with a redirect";
    const char* location = nullptr;
    if (curl_easy_getinfo(handle.easy.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
        location) {
      // Only the host: the rest of a Location may carry secrets.
      if (const auto parts = detail::split_url(location)) {
        message += " to " + std::string(parts->host) + ':' + std::to_string(parts->port);
      }
    }
    message += "; redirects are not followed";
    ErrorDetails details;
    details.category = ErrorCategory::invalid_response;
    details.error_message = std::move(message);
    details.http_status = static_cast<int>(status);
    return OAuthException(std::move(details));
  }

  OAuthException failure(const Handle& handle, CURLcode code) const {
    std::string detail =
        handle.error_buffer[0] != '\0' ? handle.error_buffer : curl_easy_strerror(code);
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        return OAuthException(ErrorCategory::timeout, "the request timed out: " + detail);
      case CURLE_WRITE_ERROR:
        if (!handle.body_too_large) break;
        [[fallthrough]];
      case CURLE_FILESIZE_EXCEEDED:
        return OAuthException(ErrorCategory::invalid_response,
                              "the answer is larger than max_response_bytes (" +
                                  std::to_string(options_.max_response_bytes) + " bytes)");
      case CURLE_PARTIAL_FILE:
        return OAuthException(ErrorCategory::invalid_response,
                              "the answer was cut short: " + detail);
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_URL_MALFORMAT:
        return OAuthException(ErrorCategory::invalid_argument,
                              "the request URL was refused: " + detail);
      default:
        break;
    }
    return OAuthException(
        ErrorCategory::transport,
        detail + " (libcurl error " + std::to_string(static_cast<int>(code)) + ")");
  }

  ClientOptions options_;
  std::string options_problem_;                            // why options_ cannot serve, or empty
  std::unique_ptr<curl_slist, CurlSlistDeleter> headers_;  // outlives the handles below
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Handle>> idle_;
  std::size_t created_ = 0;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(const ClientOptions& options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace instagram::oauth
