// How a finished libcurl transfer becomes the transport's result: an answer, or an error of
// the right category that says whether the request may have reached the server. Apart from
// the engine so that it is tested without sockets (tests/curl_answer_test.cpp).
#pragma once

#include <instagram/oauth/http.hpp>

#include <curl/curl.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instagram::oauth::detail {

// The end of every error that says a request may have reached the server.
extern const char* const may_have_been_used;

// What libcurl said of one finished transfer (its result code and getinfo values), and what
// the engine's callbacks saw.
struct TransferEnd {
  CURLcode code = CURLE_OK;
  long status = 0;                 // CURLINFO_RESPONSE_CODE; 0 when no answer began
  std::string content_type;        // CURLINFO_CONTENT_TYPE
  std::string body;                // as the write callback kept it
  bool body_too_large = false;     // the write callback stopped it at max_response_bytes
  curl_off_t content_length = -1;  // CURLINFO_CONTENT_LENGTH_DOWNLOAD_T; -1 when not said
  std::string redirect_url;        // CURLINFO_REDIRECT_URL, for a 3xx
  std::string error_buffer;        // CURLOPT_ERRORBUFFER's text
  std::vector<std::pair<std::string, std::string>> headers;  // as keep_header() kept them
  int request_starts = 0;  // pre-request callbacks: 0 never sent, 2 libcurl wanted to resend
};

// What the mapping needs of the transport: the size cap it names, and the proxy credentials
// it masks out of libcurl's messages.
struct AnswerContext {
  std::size_t max_response_bytes = 0;
  std::vector<std::string> proxy_credentials;
};

// Adds one header line of an answer (CURLOPT_HEADERFUNCTION's, "Name: value\r\n") to
// `headers` when it is one HttpResponse::headers carries: Meta's usage headers, each value at
// most 4 KiB (a longer one is not kept). A new answer's status line (an interim 1xx, or the
// next answer after one) clears what an earlier one left.
void keep_header(std::vector<std::pair<std::string, std::string>>& headers, std::string_view line);

// libcurl 7.88 fails a transfer whose HTTP/2 stream the server closed cleanly after a complete
// answer while the request body was still going out (RFC 9113 section 8.1 lets a server answer
// early): the stream's send path reports error 92 with no message, which no other path does
// (every other error 92 is written to the error buffer). The answer, status and whole body, was
// received: it is the answer.
bool answered_before_the_body_was_read(const TransferEnd& end);

// The answer (code 0, or answered_before_the_body_was_read), or the error: timeout,
// invalid_response (a redirect, never followed; a size over the cap; a cut answer),
// invalid_argument (a URL libcurl refused), transport (everything else; "may have reached the
// server" when it went out and no answer began).
Result<HttpResponse> map_transfer_end(TransferEnd end, const AnswerContext& context);

}  // namespace instagram::oauth::detail
