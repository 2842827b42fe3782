// TokenExchanger over libcurl against the Instagram look-alike on 127.0.0.1, over HTTP
// and HTTPS (a CA made at test time): real sockets, real TLS, no mocks of libcurl.
#include "catch.hpp"

#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/version.hpp>

#include "failure.hpp"
#include "instagram_mock.hpp"
#include "test_certificates.hpp"

#include <chrono>
#include <string>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::Fault;
using testing::InstagramMock;
using testing::MockOptions;
using testing::SuccessShape;

namespace {

MockOptions mock_options(bool tls) {
  MockOptions options;
  options.tls = tls;
  return options;
}

// No secret of the mock's app, nor `extra`, may appear in any text of an error.
void check_no_secret(const OAuthException& error, const InstagramMock& mock,
                     const std::string& extra) {
  const std::string secret = mock.app_config().client_secret;
  for (const std::string& text : {std::string(error.what()), error.error_message(),
                                  error.body_excerpt(), error.error_type(), error.error_reason()}) {
    INFO(text);
    CHECK(text.find(secret) == std::string::npos);
    if (!extra.empty()) CHECK(text.find(extra) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a code is exchanged for a token over HTTP and HTTPS", "[exchange]") {
  for (const bool tls : {false, true}) {
    INFO("tls=" << tls);
    InstagramMock mock(mock_options(tls));
    const TokenExchanger exchanger(mock.app_config(), mock.client_options());
    const Result<AccessToken> token = exchanger.exchange(mock.issue_code());
    REQUIRE(token);
    CHECK(token->access_token.rfind("IGQVJ", 0) == 0);
    CHECK(token->access_token.size() == 65);
    CHECK(token->user_id == "17841405793187218");
    CHECK(mock.last_header("Content-Type") == "application/x-www-form-urlencoded");
  }
}

TEST_CASE("an odd user_id above 2^53 arrives exactly", "[exchange]") {
  MockOptions options;
  options.user_id = "17841405793187219";
  InstagramMock mock(options);
  const TokenExchanger exchanger(mock.app_config(), mock.client_options());
  for (const SuccessShape shape : {SuccessShape::flat, SuccessShape::string_user_id,
                                   SuccessShape::data, SuccessShape::permissions_array}) {
    mock.set_shape(shape);
    const Result<AccessToken> token = exchanger.exchange(mock.issue_code());
    REQUIRE(token);
    CHECK(token->user_id == "17841405793187219");
    if (shape == SuccessShape::data || shape == SuccessShape::permissions_array) {
      CHECK(token->permissions == std::vector<std::string>{"instagram_business_basic",
                                                           "instagram_business_content_publish"});
    }
  }
}

TEST_CASE("multipart form bodies, as the document's curl -F", "[exchange]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.form_encoding = FormEncoding::multipart;
  const TokenExchanger exchanger(mock.app_config(), options);
  REQUIRE(exchanger.exchange(mock.issue_code()));
  CHECK(mock.last_header("Content-Type").rfind("multipart/form-data; boundary=", 0) == 0);
  REQUIRE(exchanger.exchange(mock.issue_code()));
}

TEST_CASE("a reused code gives the document's error", "[exchange]") {
  InstagramMock mock;
  const TokenExchanger exchanger(mock.app_config(), mock.client_options());
  const std::string code = mock.issue_code();
  REQUIRE(exchanger.exchange(code));
  const Result<AccessToken> again = exchanger.exchange(code);
  REQUIRE_FALSE(again);
  CHECK(again.error().category() == ErrorCategory::api);
  CHECK(again.error().error_type() == "OAuthException");
  CHECK(again.error().code() == 400);
  CHECK(again.error().http_status() == 400);
  CHECK(again.error().error_message() == "Matching code was not found or was already used");
  check_no_secret(again.error(), mock, code);
}

TEST_CASE("a code older than an hour has expired", "[exchange]") {
  InstagramMock mock;
  const TokenExchanger exchanger(mock.app_config(), mock.client_options());
  const std::string code = mock.issue_code();
  mock.advance_clock(std::chrono::minutes(61));
  const Result<AccessToken> token = exchanger.exchange(code);
  REQUIRE_FALSE(token);
  CHECK(token.error().error_message() == "This authorization code has expired");
}

TEST_CASE("a changed redirect_uri or client secret is rejected", "[exchange]") {
  InstagramMock mock;
  AppConfig config = mock.app_config();
  config.redirect_uri = "https://socialsizzle.herokuapp.com/auth";
  const Result<AccessToken> moved =
      TokenExchanger(config, mock.client_options()).exchange(mock.issue_code());
  REQUIRE_FALSE(moved);
  CHECK(moved.error().category() == ErrorCategory::api);
  CHECK(moved.error().error_message() ==
        "Error validating verification code. Please make sure your redirect_uri is identical to "
        "the one you "
        "used in the OAuth dialog request");

  config = mock.app_config();
  config.client_secret = "not-the-secret";
  const Result<AccessToken> wrong =
      TokenExchanger(config, mock.client_options()).exchange(mock.issue_code());
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().error_message() == "Error validating client secret.");
  CHECK(std::string(wrong.error().what()).find("not-the-secret") == std::string::npos);
}

TEST_CASE("long-lived exchange and refresh against graph", "[exchange]") {
  for (const bool tls : {false, true}) {
    InstagramMock mock(mock_options(tls));
    const TokenExchanger exchanger(mock.app_config(), mock.client_options());
    const Result<AccessToken> short_lived = exchanger.exchange(mock.issue_code());
    REQUIRE(short_lived);
    const Result<AccessToken> long_lived =
        exchanger.exchange_for_long_lived(short_lived->access_token);
    REQUIRE(long_lived);
    CHECK(long_lived->access_token.rfind("IGQWR", 0) == 0);
    CHECK(long_lived->token_type == "bearer");
    CHECK(long_lived->expires_in == std::chrono::seconds(5183944));
    // Instagram refreshes a long-lived token once it is 24 hours old, until it expires.
    const Result<AccessToken> too_early = exchanger.refresh(long_lived->access_token);
    CHECK(failure_of(too_early) ==
          Failure{ErrorCategory::api, "The access token can be refreshed once it is 24 hours old"});
    mock.advance_clock(std::chrono::hours(25));
    const Result<AccessToken> refreshed = exchanger.refresh(long_lived->access_token);
    REQUIRE(refreshed);
    CHECK(refreshed->access_token != long_lived->access_token);
    CHECK(refreshed->token_type == "bearer");
    mock.advance_clock(std::chrono::hours(24 * 60));
    const Result<AccessToken> expired = exchanger.refresh(refreshed->access_token);
    REQUIRE_FALSE(expired);
    CHECK(expired.error().code() == 190);
    CHECK(expired.error().error_subcode() == 463);
    CHECK(expired.error().hint() ==
          "the token expired: refresh long-lived tokens before their 60 days end (TokenKeeper "
          "does); now only a new login helps");
    CHECK(mock.refreshes() == 3);

    const Result<AccessToken> bogus = exchanger.refresh("IGQWR-unknown-token");
    REQUIRE_FALSE(bogus);
    CHECK(bogus.error().category() == ErrorCategory::api);
    CHECK(bogus.error().code() == 190);
    CHECK(bogus.error().fbtrace_id() == "AbCdEfGhIjK");
    CHECK(bogus.error().error_message() ==
          "Invalid OAuth access token - Cannot parse access token");
    check_no_secret(bogus.error(), mock, "IGQWR-unknown-token");
  }
}

TEST_CASE("every fault the look-alike serves maps to its category", "[exchange][faults]") {
  InstagramMock mock;
  const TokenExchanger exchanger(mock.app_config(), mock.client_options());
  const auto fail_with = [&](Fault fault) {
    mock.set_fault(fault);
    const std::string code = mock.issue_code();
    Result<AccessToken> token = exchanger.exchange(code);
    REQUIRE_FALSE(token);
    check_no_secret(token.error(), mock, code);
    return token.error();
  };

  const OAuthException html = fail_with(Fault::html_502);
  CHECK(html.category() == ErrorCategory::invalid_response);
  CHECK(html.http_status() == 502);
  CHECK(html.error_message() == "the answer is not JSON (HTTP 502, text/html)");
  CHECK(html.body_excerpt().rfind("<html>", 0) == 0);

  const OAuthException truncated = fail_with(Fault::truncated_body);
  CHECK(truncated.category() == ErrorCategory::invalid_response);
  CHECK(truncated.error_message().rfind("the answer was cut short: ", 0) == 0);

  const OAuthException huge = fail_with(Fault::huge_chunked_body);
  CHECK(huge.category() == ErrorCategory::invalid_response);
  CHECK(huge.error_message() == "the answer is larger than max_response_bytes (1048576 bytes)");

  const OAuthException graph = fail_with(Fault::graph_error);
  CHECK(graph.category() == ErrorCategory::api);
  CHECK(graph.code() == 190);
  CHECK(graph.error_subcode() == 460);

  const OAuthException rfc = fail_with(Fault::rfc6749_error);
  CHECK(rfc.category() == ErrorCategory::api);
  CHECK(rfc.error_type() == "invalid_grant");
  CHECK(rfc.error_message() == "The authorization code is invalid");

  const OAuthException text = fail_with(Fault::not_json_200);
  CHECK(text.category() == ErrorCategory::invalid_response);
  CHECK(text.error_message() == "the answer is not JSON (HTTP 200, text/plain)");
  CHECK(text.body_excerpt() == "OK");

  const OAuthException shape = fail_with(Fault::wrong_shape_200);
  CHECK(shape.category() == ErrorCategory::invalid_response);
  CHECK(shape.error_message() == "the answer has no access_token");
  CHECK(shape.body_excerpt() == R"({"token":"IGQVJ-not-where-it-belongs","id":1})");

  const OAuthException empty = fail_with(Fault::empty_body);
  CHECK(empty.category() == ErrorCategory::invalid_response);
  CHECK(empty.error_message() == "the answer is empty (HTTP 200, application/json)");

  mock.set_fault(Fault::none);
  CHECK(exchanger.exchange(mock.issue_code()).has_value());
}

TEST_CASE("a 307 is not followed and the secret goes nowhere else", "[exchange][faults]") {
  InstagramMock mock;
  mock.set_fault(Fault::redirect_307);
  const Result<AccessToken> token =
      TokenExchanger(mock.app_config(), mock.client_options()).exchange(mock.issue_code());
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::invalid_response);
  CHECK(token.error().http_status() == 307);
  CHECK(token.error().error_message().rfind(
            "the server answered HTTP 307 with a redirect to 127.0.0.1:", 0) == 0);
  CHECK(token.error().error_message().find("; redirects are not followed") != std::string::npos);
  CHECK(mock.redirect_target_hits() == 0);
}

TEST_CASE("a stalled server times out: libcurl gives up, not the server", "[exchange][faults]") {
  InstagramMock mock;
  mock.set_fault(Fault::stall);
  ClientOptions options = mock.client_options();
  options.total_timeout = std::chrono::milliseconds(300);
  const TokenExchanger exchanger(mock.app_config(), options);
  const Result<AccessToken> token = exchanger.exchange(mock.issue_code());
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::timeout);
  // libcurl's own wording follows ("Operation timed out after N milliseconds"): not ours to pin.
  CHECK(token.error().error_message().rfind("the request timed out: ", 0) == 0);
  CHECK(token.error().error_message().find("timed out after") != std::string::npos);
  CHECK(token.error().http_status() == 0);
}

TEST_CASE("a reset connection is a transport error", "[exchange][faults]") {
  testing::ResetServer reset;
  AppConfig config = InstagramMock().app_config();
  config.endpoints.token = reset.base_url() + "/oauth/access_token";
  ClientOptions options;
  options.allow_plain_http = true;
  const Result<AccessToken> token = TokenExchanger(config, options).exchange("AQBx-code");
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::transport);
  CHECK(token.error().error_message().find("(libcurl error 56)") != std::string::npos);
}

TEST_CASE("nothing listening is a transport error", "[exchange][faults]") {
  int port = 0;
  {
    InstagramMock closed;
    port = closed.port();
  }
  AppConfig config = InstagramMock().app_config();
  config.endpoints.token = "http://127.0.0.1:" + std::to_string(port) + "/oauth/access_token";
  ClientOptions options;
  options.allow_plain_http = true;
  const Result<AccessToken> token = TokenExchanger(config, options).exchange("AQBx-code");
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::transport);
  CHECK(token.error().error_message().find("(libcurl error 7)") != std::string::npos);
}

TEST_CASE("an untrusted certificate and a wrong host name are transport errors",
          "[exchange][tls]") {
  InstagramMock mock(mock_options(true));
  ClientOptions system_store = mock.client_options();
  system_store.ca_file.clear();  // the system store does not know the test CA
  const Result<AccessToken> untrusted =
      TokenExchanger(mock.app_config(), system_store).exchange(mock.issue_code());
  REQUIRE_FALSE(untrusted);
  CHECK(untrusted.error().category() == ErrorCategory::transport);
  CHECK(untrusted.error().error_message().find("(libcurl error 60)") != std::string::npos);

  MockOptions other_name = mock_options(true);
  other_name.certificate_names = {"wrong.example"};
  InstagramMock wrong_host(other_name);
  const Result<AccessToken> named =
      TokenExchanger(wrong_host.app_config(), wrong_host.client_options())
          .exchange(wrong_host.issue_code());
  REQUIRE_FALSE(named);
  CHECK(named.error().category() == ErrorCategory::transport);
  CHECK(named.error().error_message().find("(libcurl error 60)") != std::string::npos);
  CHECK(wrong_host.requests() == 0);
}

TEST_CASE("plain http is refused unless allowed, and then only for loopback", "[exchange]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.allow_plain_http = false;
  const Result<AccessToken> refused =
      TokenExchanger(mock.app_config(), options).exchange(mock.issue_code());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().category() == ErrorCategory::invalid_argument);
  CHECK(refused.error().error_message() ==
        "plain http is refused: https is required (http only with ClientOptions::allow_plain_http "
        "and a "
        "loopback host)");
  CHECK(mock.requests() == 0);
}

TEST_CASE("an answer over max_response_bytes is refused", "[exchange]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.max_response_bytes = 16;
  const Result<AccessToken> token =
      TokenExchanger(mock.app_config(), options).exchange(mock.issue_code());
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::invalid_response);
  CHECK(token.error().error_message() == "the answer is larger than max_response_bytes (16 bytes)");
}

TEST_CASE("the user agent is ours unless one is given", "[exchange]") {
  InstagramMock mock;
  REQUIRE(TokenExchanger(mock.app_config(), mock.client_options()).exchange(mock.issue_code()));
  CHECK(mock.last_header("User-Agent") == std::string("instagram-oauth-cpp/") + version);
  ClientOptions options = mock.client_options();
  options.user_agent = "my-app/2.0";
  REQUIRE(TokenExchanger(mock.app_config(), options).exchange(mock.issue_code()));
  CHECK(mock.last_header("User-Agent") == "my-app/2.0");
}

TEST_CASE("a user agent with a line break is refused before any request", "[exchange]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.user_agent = "my-app\r\nX-Injected: 1";
  const Result<AccessToken> token =
      TokenExchanger(mock.app_config(), options).exchange(mock.issue_code());
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::invalid_argument);
  CHECK(token.error().error_message() ==
        "ClientOptions::user_agent must not contain control characters");
  CHECK(mock.requests() == 0);
}

TEST_CASE("URLs other than http(s) are refused", "[exchange]") {
  const auto transport = make_curl_transport();
  const Result<HttpResponse> ftp =
      transport->send(HttpRequest{HttpMethod::get, "ftp://127.0.0.1/", {}});
  REQUIRE_FALSE(ftp);
  CHECK(ftp.error().error_message() == "the request URL must be an absolute https URL");
}

TEST_CASE("the Instagram Login preset runs the same flow", "[exchange]") {
  MockOptions options;
  options.api = Endpoints::instagram_login();
  options.shape = SuccessShape::data;
  options.permissions = "instagram_business_basic,instagram_business_manage_messages";
  InstagramMock mock(options);
  const Result<AccessToken> token =
      TokenExchanger(mock.app_config(), mock.client_options()).exchange(mock.issue_code());
  REQUIRE(token);
  CHECK(token->permissions ==
        std::vector<std::string>{"instagram_business_basic", "instagram_business_manage_messages"});
}
