// The JSON mapping of every documented answer shape, through TokenExchanger with a
// stub transport (no network needed for the mapping itself).
#include "catch.hpp"
#include "failure.hpp"
#include "sample_app.hpp"
#include "stub_transport.hpp"

#include <instagram/oauth/token_exchanger.hpp>

#include <memory>
#include <sstream>
#include <string>

using namespace instagram::oauth;
using testing::json_answer;
using testing::sample_app;
using testing::StubTransport;

namespace {

Result<AccessToken> exchange_with(HttpResponse answer, std::string_view code = "AQBx-hBsH3...") {
  return TokenExchanger::create(sample_app(), std::make_shared<StubTransport>(std::move(answer)))
      .value()
      .exchange(code);
}

}  // namespace

TEST_CASE("the document's sample success answer", "[mapping]") {
  const auto before = std::chrono::system_clock::now();
  const Result<AccessToken> token = exchange_with(
      json_answer(200, R"({"access_token": "IGQVJ...", "user_id": 17841405793187218})"));
  REQUIRE(token);
  CHECK(token->access_token == "IGQVJ...");
  CHECK(token->user_id == "17841405793187218");
  CHECK(token->permissions.empty());
  CHECK(token->token_type.empty());
  CHECK_FALSE(token->expires_in);
  CHECK_FALSE(token->expires_at);
  REQUIRE(token->received_at);
  CHECK(*token->received_at >= before);
}

TEST_CASE("user_id stays exact above 2^53, as number or string", "[mapping]") {
  for (const char* body : {R"({"access_token":"IGQVJ1","user_id":17841405793187219})",
                           R"({"access_token":"IGQVJ1","user_id":"17841405793187219"})"}) {
    const Result<AccessToken> token = exchange_with(json_answer(200, body));
    REQUIRE(token);
    CHECK(token->user_id == "17841405793187219");
  }
  const Result<AccessToken> big =
      exchange_with(json_answer(200, R"({"access_token":"t","user_id":18446744073709551615})"));
  REQUIRE(big);
  CHECK(big->user_id == "18446744073709551615");
  const Result<AccessToken> other =
      exchange_with(json_answer(200, R"({"access_token":"t","user_id":27640875392278831})"));
  REQUIRE(other);
  CHECK(other->user_id == "27640875392278831");
}

TEST_CASE("a user_id that is not a decimal integer is invalid_response", "[mapping]") {
  for (const char* body :
       {R"({"access_token":"t","user_id":1.7841405793187219e16})",
        R"({"access_token":"t","user_id":-5})", R"({"access_token":"t","user_id":"12a"})",
        R"({"access_token":"t","user_id":null})",
        R"({"access_token":"t","user_id":184467440737095516150})"}) {
    INFO(body);
    const Result<AccessToken> token = exchange_with(json_answer(200, body));
    REQUIRE_FALSE(token);
    CHECK(token.error().category() == ErrorCategory::invalid_response);
    CHECK(token.error().error_message() == "the answer's user_id is not a decimal integer");
    CHECK(token.error().http_status() == 200);
  }
}

TEST_CASE("the data[] shape with permissions as a comma string", "[mapping]") {
  const Result<AccessToken> token = exchange_with(json_answer(
      200, R"({"data":[{"access_token":"EAACEdEose0","user_id":"17841405793187218",)"
           R"("permissions":"instagram_business_basic, instagram_business_manage_messages"}]})"));
  REQUIRE(token);
  CHECK(token->access_token == "EAACEdEose0");
  CHECK(token->user_id == "17841405793187218");
  CHECK(token->permissions ==
        std::vector<std::string>{"instagram_business_basic", "instagram_business_manage_messages"});
}

TEST_CASE("permissions as an array", "[mapping]") {
  const Result<AccessToken> token = exchange_with(json_answer(
      200, R"({"access_token":"t","user_id":1,"permissions":["user_profile","user_media"]})"));
  REQUIRE(token);
  CHECK(token->permissions == std::vector<std::string>{"user_profile", "user_media"});
  const Result<AccessToken> bad =
      exchange_with(json_answer(200, R"({"access_token":"t","permissions":[1]})"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().error_message() == "the answer's permissions are neither a list nor a string");
}

TEST_CASE("the long-lived shape sets token_type, expires_in and expires_at", "[mapping]") {
  const auto before = std::chrono::system_clock::now();
  const Result<AccessToken> token = exchange_with(
      json_answer(200, R"({"access_token":"IGQWR1","token_type":"bearer","expires_in":5183944})"));
  const auto after = std::chrono::system_clock::now();
  REQUIRE(token);
  CHECK(token->token_type == "bearer");
  CHECK(token->user_id.empty());
  REQUIRE(token->expires_in);
  CHECK(token->expires_in->count() == 5183944);
  REQUIRE(token->expires_at);
  CHECK(*token->expires_at >= before + std::chrono::seconds(5183944));
  CHECK(*token->expires_at <= after + std::chrono::seconds(5183944));
}

TEST_CASE("the token endpoint's error shape", "[mapping]") {
  const Result<AccessToken> token = exchange_with(json_answer(
      400,
      R"({"error_type": "OAuthException", "code": 400, "error_message": "Matching code was not found or was already used"})"));
  REQUIRE_FALSE(token);
  const OAuthException& error = token.error();
  CHECK(error.category() == ErrorCategory::api);
  CHECK(error.error_type() == "OAuthException");
  CHECK(error.code() == 400);
  CHECK(error.error_message() == "Matching code was not found or was already used");
  CHECK(error.http_status() == 400);
  CHECK(error.body_excerpt().empty());
}

TEST_CASE("graph.instagram.com's error shape keeps subcode and fbtrace_id", "[mapping]") {
  const Result<AccessToken> token = exchange_with(json_answer(
      400,
      R"({"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"IGApiException",)"
      R"("code":190,"error_subcode":460,"fbtrace_id":"AbCdEfGhIjK"}})"));
  REQUIRE_FALSE(token);
  const OAuthException& error = token.error();
  CHECK(error.category() == ErrorCategory::api);
  CHECK(error.error_type() == "IGApiException");
  CHECK(error.code() == 190);
  CHECK(error.error_subcode() == 460);
  CHECK(error.fbtrace_id() == "AbCdEfGhIjK");
  CHECK(error.error_message() == "Invalid OAuth access token - Cannot parse access token");
}

TEST_CASE("the RFC 6749 error shape", "[mapping]") {
  const Result<AccessToken> token = exchange_with(
      json_answer(400, R"({"error":"invalid_grant","error_description":"The code is invalid"})"));
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::api);
  CHECK(token.error().error_type() == "invalid_grant");
  CHECK(token.error().error_message() == "The code is invalid");
}

TEST_CASE("a 2xx that carries an error body is api", "[mapping]") {
  const Result<AccessToken> token = exchange_with(json_answer(
      200, R"({"error_type":"OAuthException","code":400,"error_message":"Invalid platform app"})"));
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::api);
  CHECK(token.error().http_status() == 200);
  CHECK(token.error().error_message() == "Invalid platform app");
}

TEST_CASE("non-JSON answers are invalid_response with an excerpt, 504 is a timeout", "[mapping]") {
  const Result<AccessToken> html = exchange_with(
      HttpResponse{502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", {}});
  REQUIRE_FALSE(html);
  CHECK(html.error().category() == ErrorCategory::invalid_response);
  CHECK(html.error().http_status() == 502);
  // The body's text stays out of the message and what(): only the excerpt carries it.
  CHECK(html.error().error_message() == "the answer is not JSON (HTTP 502, text/html)");
  CHECK(html.error().body_excerpt() == "<html><body><h1>502 Bad Gateway</h1></body></html>");

  const Result<AccessToken> empty = exchange_with(HttpResponse{200, "", "", {}});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().category() == ErrorCategory::invalid_response);
  CHECK(empty.error().error_message() == "the answer is empty (HTTP 200)");

  const Result<AccessToken> gateway =
      exchange_with(HttpResponse{504, "text/plain", "upstream timed out", {}});
  REQUIRE_FALSE(gateway);
  CHECK(gateway.error().category() == ErrorCategory::timeout);

  const Result<AccessToken> long_page =
      exchange_with(HttpResponse{500, "text/html", std::string(5000, 'x'), {}});
  REQUIRE_FALSE(long_page);
  CHECK(long_page.error().body_excerpt().size() == 512);
  CHECK(long_page.error().error_message() == "the answer is not JSON (HTTP 500, text/html)");
}

TEST_CASE("JSON of the wrong shape is invalid_response", "[mapping]") {
  const auto message_of = [](int status, const char* body) {
    const testing::Failure failure = testing::failure_of(exchange_with(json_answer(status, body)));
    CHECK(failure.category == ErrorCategory::invalid_response);
    return failure.message;
  };
  CHECK(message_of(200, R"({"token":"x"})") == "the answer has no access_token");
  CHECK(message_of(200, R"({"access_token":""})") == "the answer has no access_token");
  CHECK(message_of(200, R"({"access_token":5})") == "the answer has no access_token");
  CHECK(message_of(200, R"([1,2])") == "the answer is not a JSON object");
  CHECK(message_of(200, R"("IGQVJ")") == "the answer is not a JSON object");
  CHECK(message_of(200, R"({"data":[]})") == "the answer's data is not a list of tokens");
  CHECK(message_of(200, R"({"data":{"access_token":"x"}})") ==
        "the answer's data is not a list of tokens");
  CHECK(message_of(200, R"({"access_token":"t","expires_in":"soon"})") ==
        "the answer's expires_in is not a number of seconds");
  CHECK(message_of(500, R"({"status":"down"})") ==
        "the answer is HTTP 500 with JSON that is not an Instagram error");
}

TEST_CASE("secrets are masked out of excerpts and messages", "[mapping][secrets]") {
  const Result<AccessToken> token = exchange_with(
      HttpResponse{
          200,
          "text/plain",
          R"x(echo client_secret=eb8c7-sample-secret code=AQBx-SECRET "access_token": "IGQVJ-LEAK")x",
          {}},
      "AQBx-SECRET");
  REQUIRE_FALSE(token);
  const OAuthException& error = token.error();
  for (const std::string& text :
       {std::string(error.what()), error.error_message(), error.body_excerpt()}) {
    INFO(text);
    CHECK(text.find("eb8c7-sample-secret") == std::string::npos);
    CHECK(text.find("AQBx-SECRET") == std::string::npos);
    CHECK(text.find("IGQVJ-LEAK") == std::string::npos);
  }
  CHECK(error.body_excerpt() ==
        R"x(echo client_secret=(redacted) code=(redacted) "access_token": "(redacted)")x");
}

TEST_CASE("the exchange sends the document's five fields as a POST", "[mapping]") {
  auto transport =
      std::make_shared<StubTransport>(json_answer(200, R"({"access_token":"t","user_id":1})"));
  const TokenExchanger exchanger = TokenExchanger::create(sample_app(), transport).value();
  REQUIRE(exchanger.exchange(AuthorizationCode{"AQBx-hBsH3...", std::nullopt}));
  REQUIRE(transport->requests.size() == 1);
  const HttpRequest& request = transport->requests.front();
  CHECK(request.method == HttpMethod::post);
  CHECK(request.url == "https://api.instagram.com/oauth/access_token");
  CHECK(request.form == std::vector<std::pair<std::string, std::string>>{
                            {"client_id", "990602627938098"},
                            {"client_secret", "eb8c7-sample-secret"},
                            {"grant_type", "authorization_code"},
                            {"redirect_uri", "https://socialsizzle.herokuapp.com/auth/"},
                            {"code", "AQBx-hBsH3..."}});
}

TEST_CASE("long-lived exchange and refresh are GETs on graph", "[mapping]") {
  auto transport = std::make_shared<StubTransport>(
      json_answer(200, R"({"access_token":"IGQWR","token_type":"bearer","expires_in":5183944})"));
  AppConfig config = sample_app();
  config.endpoints.graph = "https://graph.instagram.com/";
  const TokenExchanger exchanger = TokenExchanger::create(config, transport).value();
  REQUIRE(exchanger.exchange_for_long_lived("IGQVJ+a/b"));
  REQUIRE(exchanger.refresh("IGQWR"));
  REQUIRE(transport->requests.size() == 2);
  CHECK(transport->requests[0].method == HttpMethod::get);
  CHECK(transport->requests[0].url ==
        "https://graph.instagram.com/access_token?grant_type=ig_exchange_token"
        "&client_secret=eb8c7-sample-secret&access_token=IGQVJ%2Ba%2Fb");
  CHECK(transport->requests[1].url ==
        "https://graph.instagram.com/"
        "refresh_access_token?grant_type=ig_refresh_token&access_token=IGQWR");
  CHECK(transport->requests[1].form.empty());
}

TEST_CASE("empty inputs fail locally, and create() refuses unusable configurations; nothing sent",
          "[mapping]") {
  auto transport = std::make_shared<StubTransport>(json_answer(200, "{}"));
  const TokenExchanger exchanger = TokenExchanger::create(sample_app(), transport).value();
  const auto message_of = [](const auto& result) {
    const testing::Failure failure = testing::failure_of(result);
    CHECK(failure.category == ErrorCategory::invalid_argument);
    return failure.message;
  };
  CHECK(message_of(exchanger.exchange("")) == "code is empty");
  CHECK(message_of(exchanger.exchange_for_long_lived("")) == "access token is empty");
  CHECK(message_of(exchanger.refresh("")) == "access token is empty");

  AppConfig config = sample_app();
  config.client_secret.clear();
  CHECK(message_of(TokenExchanger::create(config, transport)) == "client_secret is empty");
  config = sample_app();
  config.client_id = "abc";
  CHECK(message_of(TokenExchanger::create(config, transport)) ==
        "client_id must be a numeric string (the Instagram App ID)");
  config = sample_app();
  config.endpoints.token = "http://api.instagram.com/oauth/access_token";
  CHECK(message_of(TokenExchanger::create(config, transport)) ==
        "endpoints.token must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");
  config = sample_app();
  config.endpoints.graph = "graph.instagram.com";
  CHECK(message_of(TokenExchanger::create(config, transport)) ==
        "endpoints.graph must be an absolute URL such as https://example.com/auth/");
  CHECK(message_of(TokenExchanger::create(sample_app(), std::shared_ptr<HttpTransport>())) ==
        "the transport is null");
  CHECK(transport->requests.empty());
}

// The deprecated constructors keep their behaviour until they are removed: an unusable
// configuration is reported by every call, and nothing is sent.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_CASE("TokenExchanger's deprecated constructors: an unusable configuration fails every call",
          "[mapping]") {
  auto transport = std::make_shared<StubTransport>(json_answer(200, "{}"));
  AppConfig config = sample_app();
  config.client_secret.clear();
  const TokenExchanger exchanger(config, transport);
  const testing::Failure empty_secret{ErrorCategory::invalid_argument, "client_secret is empty"};
  CHECK(testing::failure_of(exchanger.exchange("c")) == empty_secret);
  CHECK(testing::failure_of(exchanger.refresh("t")) == empty_secret);
  CHECK(testing::failure_of(
            TokenExchanger(sample_app(), std::shared_ptr<HttpTransport>()).exchange("c")) ==
        testing::Failure{ErrorCategory::invalid_argument, "the transport is null"});
  CHECK(transport->requests.empty());
}
#pragma GCC diagnostic pop

TEST_CASE("a transport's error is passed on with secrets masked", "[mapping][secrets]") {
  auto transport = std::make_shared<StubTransport>(OAuthException(
      ErrorCategory::transport, "could not reach https://x/?client_secret=eb8c7-sample-secret"));
  const Result<AccessToken> token =
      TokenExchanger::create(sample_app(), transport).value().exchange("code");
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::transport);
  CHECK(token.error().error_message() == "could not reach https://x/?client_secret=(redacted)");
}

TEST_CASE("a token prints redacted", "[token][secrets]") {
  AccessToken token;
  token.access_token = "IGQVJXYZ0123456789abcdef";
  token.user_id = "17841405793187218";
  token.permissions = {"user_profile", "user_media"};
  std::ostringstream out;
  out << token;
  CHECK(out.str() ==
        "AccessToken{access_token=IGQV\u2026(redacted), user_id=17841405793187218, "
        "permissions=[user_profile,user_media]}");
  token.access_token = "short";
  token.token_type = "bearer";
  token.expires_in = std::chrono::seconds(60);
  token.permissions.clear();
  std::ostringstream short_out;
  short_out << token;
  CHECK(short_out.str() ==
        "AccessToken{access_token=(redacted), user_id=17841405793187218, token_type=bearer, "
        "expires_in=60s}");
}

TEST_CASE("error fields of unexpected types still give a clear api error", "[mapping]") {
  const Result<AccessToken> token = exchange_with(
      json_answer(400, R"({"error_type":"OAuthException","code":"400","error_message":""})"));
  REQUIRE_FALSE(token);
  CHECK(token.error().category() == ErrorCategory::api);
  CHECK(token.error().code() == 400);
  CHECK(token.error().error_message() == "Instagram answered with an error and no message");
  const Result<AccessToken> huge = exchange_with(
      json_answer(400, R"({"error":{"message":"m","code":99999999999,"error_subcode":"x"}})"));
  REQUIRE_FALSE(huge);
  CHECK(huge.error().code() == 0);
  CHECK(huge.error().error_subcode() == 0);
  const Result<AccessToken> bare =
      exchange_with(json_answer(400, R"({"error":"invalid_request"})"));
  REQUIRE_FALSE(bare);
  CHECK(bare.error().error_type() == "invalid_request");
  CHECK(bare.error().error_message() == "Instagram answered with an error and no message");
}

TEST_CASE("expires_in may be a string of digits, never a huge or negative number", "[mapping]") {
  const Result<AccessToken> text = exchange_with(
      json_answer(200, R"({"access_token":"t","token_type":"bearer","expires_in":"3600"})"));
  REQUIRE(text);
  CHECK(text->expires_in == std::chrono::seconds(3600));
  for (const char* body :
       {R"({"access_token":"t","expires_in":100000000000000})",
        R"({"access_token":"t","expires_in":-1})", R"({"access_token":"t","expires_in":1.5})"}) {
    INFO(body);
    const Result<AccessToken> token = exchange_with(json_answer(200, body));
    REQUIRE_FALSE(token);
    CHECK(token.error().error_message() == "the answer's expires_in is not a number of seconds");
  }
}

namespace {

// A transport of someone else's that throws instead of returning an error.
class ThrowingTransport final : public HttpTransport {
 public:
  explicit ThrowingTransport(bool oauth) : oauth_(oauth) {}
  Result<HttpResponse> send(const HttpRequest&) override {
    if (oauth_) throw OAuthException(ErrorCategory::timeout, "gave up on eb8c7-sample-secret");
    throw std::runtime_error("socket closed while sending code AQBx-SECRET-CODE");
  }

 private:
  bool oauth_;
};

}  // namespace

TEST_CASE("a transport that throws is turned into an error, nothing else escapes", "[mapping]") {
  const Result<AccessToken> oauth =
      TokenExchanger::create(sample_app(), std::make_shared<ThrowingTransport>(true))
          .value()
          .exchange("AQBx-SECRET-CODE");
  REQUIRE_FALSE(oauth);
  CHECK(oauth.error().category() == ErrorCategory::timeout);
  CHECK(oauth.error().error_message() == "gave up on (redacted)");
  const Result<AccessToken> other =
      TokenExchanger::create(sample_app(), std::make_shared<ThrowingTransport>(false))
          .value()
          .exchange("AQBx-SECRET-CODE");
  REQUIRE_FALSE(other);
  CHECK(other.error().category() == ErrorCategory::transport);
  CHECK(other.error().error_message() ==
        "the transport failed: socket closed while sending code (redacted)");
}

TEST_CASE("the excerpt stays within 512 bytes and never ends in part of a secret",
          "[mapping][secrets]") {
  // Masks longer than what they replace, near the cut.
  std::string body(500, 'a');
  for (int i = 0; i < 20; ++i) body += " code=x";
  const Result<AccessToken> longer =
      exchange_with(HttpResponse{502, "text/plain", body, {}}, "AQBx-SECRET-CODE");
  REQUIRE_FALSE(longer);
  CHECK(longer.error().body_excerpt().size() == 512);

  // A secret across the cut is masked before cutting: no prefix of it survives.
  const Result<AccessToken> across = exchange_with(
      HttpResponse{502, "text/plain", std::string(505, 'a') + "eb8c7-sample-secret and more", {}},
      "AQBx-SECRET-CODE");
  REQUIRE_FALSE(across);
  CHECK(across.error().body_excerpt() == std::string(505, 'a') + "(redact");
}

TEST_CASE("permissions with control characters are refused, as token_type is", "[mapping]") {
  // A finding: printed raw, this permission forged an output line and set the terminal's
  // title.
  const std::string hostile =
      R"({"access_token":"IGQVJ1","user_id":1,"permissions":"instagram_business_basic\nexpires_in:   99999999 s\u001b]0;pwned\u0007"})";
  CHECK(testing::failure_of(exchange_with(json_answer(200, hostile))) ==
        testing::Failure{ErrorCategory::invalid_response,
                         "the answer's permissions contain control characters"});
  const std::string in_array =
      R"({"access_token":"IGQVJ1","user_id":1,"permissions":["instagram_business_basic","a\u001bb"]})";
  CHECK(testing::failure_of(exchange_with(json_answer(200, in_array))).category ==
        ErrorCategory::invalid_response);
}
