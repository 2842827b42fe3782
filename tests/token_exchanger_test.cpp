// TokenExchanger over libcurl against the Instagram look-alike on 127.0.0.1, over HTTP
// and HTTPS (a CA made at test time): real sockets, real TLS, no mocks of libcurl.
#include "catch.hpp"

#include <instagram/oauth/redirect_parser.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/version.hpp>

#include "failure.hpp"
#include "secret_scan.hpp"
#include "test_certificates.hpp"

#include <chrono>
#include <future>
#include <string>

using namespace instagram::oauth;
using testing::check_no_secret;
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

}  // namespace

TEST_CASE("a code is exchanged for a token over HTTP and HTTPS", "[exchange]") {
  for (const bool tls : {false, true}) {
    INFO("tls=" << tls);
    InstagramMock mock(mock_options(tls));
    const TokenExchanger exchanger =
        TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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
  const TokenExchanger exchanger = TokenExchanger::create(mock.app_config(), options).value();
  REQUIRE(exchanger.exchange(mock.issue_code()));
  CHECK(mock.last_header("Content-Type").rfind("multipart/form-data; boundary=", 0) == 0);
  REQUIRE(exchanger.exchange(mock.issue_code()));
}

TEST_CASE("a reused code gives the document's error", "[exchange]") {
  InstagramMock mock;
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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
      TokenExchanger::create(config, mock.client_options()).value().exchange(mock.issue_code());
  REQUIRE_FALSE(moved);
  CHECK(moved.error().category() == ErrorCategory::api);
  CHECK(moved.error().error_message() ==
        "Error validating verification code. Please make sure your redirect_uri is identical to "
        "the one you "
        "used in the OAuth dialog request");

  config = mock.app_config();
  config.client_secret = "not-the-secret";
  const Result<AccessToken> wrong =
      TokenExchanger::create(config, mock.client_options()).value().exchange(mock.issue_code());
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().error_message() == "Error validating client secret.");
  CHECK(std::string(wrong.error().what()).find("not-the-secret") == std::string::npos);
}

TEST_CASE("long-lived exchange and refresh against graph", "[exchange]") {
  for (const bool tls : {false, true}) {
    InstagramMock mock(mock_options(tls));
    const TokenExchanger exchanger =
        TokenExchanger::create(mock.app_config(), mock.client_options()).value();
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

TEST_CASE("the Instagram Login preset runs the same flow", "[exchange]") {
  MockOptions options;
  options.api = Endpoints::instagram_login();
  options.shape = SuccessShape::data;
  options.permissions = "instagram_business_basic,instagram_business_manage_messages";
  InstagramMock mock(options);
  const Result<AccessToken> token = TokenExchanger::create(mock.app_config(), mock.client_options())
                                        .value()
                                        .exchange(mock.issue_code());
  REQUIRE(token);
  CHECK(token->permissions ==
        std::vector<std::string>{"instagram_business_basic", "instagram_business_manage_messages"});
}

TEST_CASE("8 threads x 250 exchanges share one TokenExchanger and the pool's connections",
          "[concurrency]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.max_connections = 4;
  const TokenExchanger exchanger = TokenExchanger::create(mock.app_config(), options).value();
  constexpr int threads = 8;
  constexpr int per_thread = 250;
  std::vector<std::vector<std::string>> codes(threads);
  for (auto& list : codes) {
    for (int i = 0; i < per_thread; ++i) list.push_back(mock.issue_code());
  }
  std::atomic<int> succeeded{0};
  std::atomic<int> matching_user{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (const std::string& code : codes[t]) {
        const Result<AccessToken> token = exchanger.exchange(code);
        if (token) {
          ++succeeded;
          if (token->user_id == "17841405793187218") ++matching_user;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  CHECK(succeeded == threads * per_thread);
  CHECK(matching_user == threads * per_thread);
  CHECK(mock.requests() == static_cast<std::size_t>(threads * per_thread));
  CHECK(mock.connections() >= 1);
  CHECK(mock.connections() <= 4);
}

TEST_CASE("1,000 sequential exchanges use one connection, over HTTP and HTTPS", "[concurrency]") {
  for (const bool tls : {false, true}) {
    INFO("tls=" << tls);
    testing::MockOptions mock_options;
    mock_options.tls = tls;
    InstagramMock mock(mock_options);
    const TokenExchanger exchanger =
        TokenExchanger::create(mock.app_config(), mock.client_options()).value();
    int succeeded = 0;
    for (int i = 0; i < 1000; ++i)
      succeeded += exchanger.exchange(mock.issue_code()).has_value() ? 1 : 0;
    CHECK(succeeded == 1000);
    CHECK(mock.requests() == 1000);
    CHECK(mock.connections() == 1);  // and so one TLS handshake over HTTPS
  }
}

TEST_CASE("exchange_async takes the parser's AuthorizationCode as exchange does", "[exchange]") {
  InstagramMock mock;
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
  const AuthorizationCode code =
      RedirectParser(mock.app_config())
          .parse(mock.app_config().redirect_uri + "?code=" + mock.issue_code() + "&state=s", "s")
          .value();
  const Result<AccessToken> token = exchanger.exchange_async(code).get();
  REQUIRE(token);
  CHECK(token->access_token.rfind("IGQVJ", 0) == 0);
  std::promise<Result<AccessToken>> second;
  exchanger.exchange_async(
      code, [&](Result<AccessToken> answer) { second.set_value(std::move(answer)); });
  // The code is single-use: the second exchange is Instagram's refusal.
  CHECK(failure_of(second.get_future().get()).category == ErrorCategory::api);
}
