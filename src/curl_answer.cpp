#include "curl_answer.hpp"

#include <instagram/oauth/detail/url.hpp>

#include <instagram/oauth/detail/proxy.hpp>

#include <utility>

namespace instagram::oauth::detail {

const char* const may_have_been_used =
    "may have reached the server (an authorization code may have been used: start a new login)";

namespace {

// Never followed: the body, the client secret among it, must not go to another place.
OAuthException redirect_refused(const TransferEnd& end) {
  std::string message =
      "the server answered HTTP " + std::to_string(end.status) + " with a redirect";
  // Only the host: the rest of a Location may carry secrets.
  if (const auto parts = split_url(end.redirect_url)) {
    message += " to " + std::string(parts->host) + ':' + std::to_string(parts->port);
  }
  message += "; redirects are not followed";
  ErrorDetails details;
  details.category = ErrorCategory::invalid_response;
  details.error_message = std::move(message);
  details.http_status = static_cast<int>(end.status);
  return OAuthException(std::move(details));
}

// The request went out (or libcurl wanted to send it again) and no answer began: the server
// may have acted on it. Over HTTP/1.1 a reused connection that dies is retried by libcurl,
// which the engine's pre-request callback stops; over HTTP/2 the stream just ends unclosed.
bool sent_without_answer(const TransferEnd& end) {
  if (end.request_starts > 1 || end.code == CURLE_SEND_FAIL_REWIND) return true;
  if (end.request_starts == 0 || end.status != 0) return false;
  switch (end.code) {
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:  // reset while the body was going out: it may have arrived whole
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

OAuthException failure(const TransferEnd& end, const AnswerContext& context) {
  // libcurl quotes proxy strings in its messages: their credentials are secrets.
  const std::string detail = mask_proxy_credentials(
      !end.error_buffer.empty() ? end.error_buffer : curl_easy_strerror(end.code),
      context.proxy_credentials);
  switch (end.code) {
    case CURLE_OPERATION_TIMEDOUT:
      return OAuthException(ErrorCategory::timeout, "the request timed out: " + detail);
    case CURLE_WRITE_ERROR:
      if (!end.body_too_large) break;
      [[fallthrough]];
    case CURLE_FILESIZE_EXCEEDED:
      return OAuthException(ErrorCategory::invalid_response,
                            "the answer is larger than max_response_bytes (" +
                                std::to_string(context.max_response_bytes) + " bytes)");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return OAuthException(ErrorCategory::invalid_argument,
                            "the request URL was refused: " + detail);
    default:
      break;
  }
  if (sent_without_answer(end)) {
    return OAuthException(ErrorCategory::transport,
                          "the connection closed after the request was sent and before an "
                          "answer; it was not sent again, since it " +
                              std::string(may_have_been_used));
  }
  if (end.code == CURLE_PARTIAL_FILE) {
    return OAuthException(ErrorCategory::invalid_response, "the answer was cut short: " + detail);
  }
  return OAuthException(
      ErrorCategory::transport,
      detail + " (libcurl error " + std::to_string(static_cast<int>(end.code)) + ")");
}

}  // namespace

bool answered_before_the_body_was_read(const TransferEnd& end) {
  if (end.code != CURLE_HTTP2_STREAM || !end.error_buffer.empty()) return false;
  return end.status != 0 &&
         (end.content_length < 0 || static_cast<curl_off_t>(end.body.size()) == end.content_length);
}

void keep_header(std::vector<std::pair<std::string, std::string>>& headers, std::string_view line) {
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  // Compared in place: every header of every answer comes through here.
  const std::string_view written = line.substr(0, colon);
  std::string_view name;
  for (const std::string_view kept :
       {std::string_view("x-app-usage"), std::string_view("x-business-use-case-usage")}) {
    if (iequals(written, kept)) name = kept;
  }
  if (name.empty()) return;
  std::string_view value = line.substr(colon + 1);
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && blank(value.front())) value.remove_prefix(1);
  while (!value.empty() && blank(value.back())) value.remove_suffix(1);
  if (value.size() > 4096) return;
  headers.emplace_back(std::string(name), std::string(value));
}

Result<HttpResponse> map_transfer_end(TransferEnd end, const AnswerContext& context) {
  if (end.code != CURLE_OK && !answered_before_the_body_was_read(end)) {
    return failure(end, context);
  }
  if (end.status >= 300 && end.status < 400) return redirect_refused(end);
  HttpResponse answer;
  answer.status = static_cast<int>(end.status);
  answer.content_type = std::move(end.content_type);
  answer.body = std::move(end.body);
  answer.headers = std::move(end.headers);
  return answer;
}

}  // namespace instagram::oauth::detail
