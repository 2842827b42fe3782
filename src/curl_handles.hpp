// libcurl's handles owned by RAII, and its one global initialisation: what every part of the
// engine (src/curl_transport.cpp) holds, and nothing else.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace instagram::oauth::detail {

struct CurlEasyDeleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime* mime) const noexcept { curl_mime_free(mime); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlMime = std::unique_ptr<curl_mime, CurlMimeDeleter>;

// curl_global_init, once per process (never paired with curl_global_cleanup: other code in
// the process may use libcurl). Why it failed, or empty. Thread-safe.
inline const std::string& curl_global_init_problem() {
  static const std::string problem = [] {
    const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    return code == CURLE_OK
               ? std::string()
               : std::string("libcurl could not be initialised: ") + curl_easy_strerror(code);
  }();
  return problem;
}

}  // namespace instagram::oauth::detail
