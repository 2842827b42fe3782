// The masker (src/secret_mask.hpp) and what reaches what(), body_excerpt() and printing,
// against the hostile answers of the hardening review: whole and partial secrets, other
// spellings, huge bodies, control characters.
#include "catch.hpp"
#include "failure.hpp"
#include "sample_app.hpp"
#include "stub_transport.hpp"

#include <instagram/oauth/token_exchanger.hpp>

#include "secret_mask.hpp"

#include <sstream>
#include <string>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::sample_app;
using testing::StubTransport;

namespace {

const std::string client_secret = sample_app().client_secret;

// No 8-character run of `secret` in any text the error shows.
void check_masked(const OAuthException& error, const std::string& secret) {
  for (const std::string& text :
       {std::string(error.what()), error.error_message(), error.body_excerpt()}) {
    INFO(text);
    for (std::size_t at = 0; at + 8 <= secret.size(); ++at) {
      CHECK(text.find(secret.substr(at, 8)) == std::string::npos);
    }
  }
}

Result<AccessToken> refresh_with(const std::string& token, int status, std::string body) {
  return TokenExchanger::create(sample_app(), std::make_shared<StubTransport>(
                                                  testing::json_answer(status, std::move(body))))
      .value()
      .refresh(token);
}

}  // namespace

TEST_CASE("a secret straddling the old 1,024-byte window leaves nothing in the excerpt",
          "[secrets]") {
  std::string refreshed;
  for (int i = 0; i < 200; ++i) refreshed += "IGQWRabcdefghijklmnopqrstuvwxyz0123456789"[i % 41];
  const std::string body = R"({"access_token":")" + std::string(700, 'A') +
                           R"(","user_id":"not-a-number","echo":")" + refreshed + R"("})";
  const Result<AccessToken> token = refresh_with(refreshed, 200, body);
  REQUIRE_FALSE(token);
  CHECK(token.error().error_message() == "the answer's user_id is not a decimal integer");
  CHECK(token.error().body_excerpt().size() <= 512);
  check_masked(token.error(), refreshed);
  // The same trick with the client secret.
  const std::string secret_body = std::string(1000, ' ') + "\"" + client_secret + "\"";
  const Result<AccessToken> echoed = refresh_with("IGQWR-token-0123456789", 502, secret_body);
  REQUIRE_FALSE(echoed);
  check_masked(echoed.error(), client_secret);
}

TEST_CASE("other spellings of a secret or its key are masked too", "[secrets]") {
  const std::string known = "IGQWRknownToken0123456789";
  for (const std::string& body :
       {std::string("{\"access_token\":\n\"IGQVJunknownNewToken0123456789\"} <html>"),
        std::string("{\"access_token\"\r\n:\r\n\"IGQVJunknownNewToken0123456789\"} <html>"),
        std::string("{\"access\\u005ftoken\":\"IGQVJunknownNewToken0123456789\"} <html>"),
        std::string("<p>\\u0049GQWRknownToken0123456789</p>"),
        std::string("<p>%49%47%51WRknownToken0123456789</p>"),
        std::string("<p>IGQWRknown\\/Token0123456789 part of IGQWRknownTo</p>")}) {
    INFO(body);
    const Result<AccessToken> token = refresh_with(known, 200, body);
    REQUIRE_FALSE(token);
    check_masked(token.error(), "IGQVJunknownNewToken0123456789");
    check_masked(token.error(), known);
  }
}

TEST_CASE("a new token repeated by an error page in a non-JSON spelling is masked",
          "[secrets][security]") {
  // A finding: the excerpt kept a token an error page repeated in these spellings.
  const std::string fresh = "IGQVJbrandNewTokenNobodyKnows0123";
  for (const std::string& body :
       {"{'access_token': '" + fresh + "'}", "access_token: " + fresh + "\nuser: 1",
        "<access_token>" + fresh + "</access_token>", "next=%2Fx%3Faccess_token%3D" + fresh,
        "{'client_secret':'" + fresh + "'}", "refresh_token:" + fresh + ";",
        "<code>" + fresh + "</code>"}) {
    INFO(body);
    const Result<AccessToken> token = refresh_with("IGQWR-token-0123456789", 502, body);
    REQUIRE_FALSE(token);
    check_masked(token.error(), fresh);
    CHECK(token.error().body_excerpt().find("(redacted)") != std::string::npos);
  }
  // What is no secret stays readable: Instagram's numeric error code.
  CHECK(detail::mask_secrets("code: 400, message: 'Invalid platform app'") ==
        "code: 400, message: 'Invalid platform app'");
  CHECK(detail::mask_secrets(R"({"code": 190})") == R"({"code": 190})");
}

TEST_CASE("a token in an escaped body, a page's table or behind an HTML '=' is masked",
          "[secrets][security]") {
  // A finding: these three spellings kept the token (a literal backslash-n between key and
  // value, as a JSON body quoted in another string has; a table cell; an HTML entity).
  const std::string fresh = "IGQVJbrandNewTokenNobodyKnows0123";
  for (const std::string& body :
       {R"({"access_token":\n ")" + fresh + R"("})", R"({"access_token" :\r\n\t")" + fresh + "\"}",
        "<td>access_token</td><td>" + fresh + "</td>",
        "<tr><th>access_token</th>\n  <td> " + fresh + "</td></tr>", "access_token&#61;" + fresh,
        "access_token&#x3D;" + fresh + "&amp;x=1", "access_token&equals;" + fresh}) {
    INFO(body);
    const std::string masked = detail::mask_secrets(body);
    CHECK(masked.find(fresh.substr(0, 8)) == std::string::npos);
    CHECK(masked.find("(redacted)") != std::string::npos);
  }
  CHECK(detail::mask_secrets("<td>access_token</td><td>" + fresh + "</td>") ==
        "<td>access_token</td><td>(redacted)</td>");
  CHECK(detail::mask_secrets("access_token&#61;" + fresh + "&amp;x=1") ==
        "access_token&#61;(redacted)&amp;x=1");
}

TEST_CASE("a non-JSON answer's text stays out of the message and what()", "[secrets]") {
  const Result<AccessToken> token =
      refresh_with("IGQWR-token-0123456789", 200, "IGQVJ-a-brand-new-token-nobody-knows");
  CHECK(failure_of(token) == Failure{ErrorCategory::invalid_response,
                                     "the answer is not JSON (HTTP 200, application/json)"});
  CHECK(std::string(token.error().what()).find("IGQVJ") == std::string::npos);
}

TEST_CASE("masking a huge hostile body finishes (linear, measured in bench/)", "[secrets]") {
  std::string body;
  while (body.size() < (1 << 20)) body += "code=a&";
  const std::string masked = detail::mask_secrets(body, {"AQB-known-code-123"});
  CHECK(masked.size() == body.size() / 7 * 16);        // each "code=a&" is "code=(redacted)&"
  CHECK(masked.find("code=a&") == std::string::npos);  // every value after code= is masked
  CHECK(detail::body_excerpt(body).size() == 512);
}

TEST_CASE("mask_known masks a secret of any length", "[secrets]") {
  CHECK(detail::mask_known("proxy 'http://alice:pw@host' refused", "alice:pw") ==
        "proxy 'http://(redacted)@host' refused");
  CHECK(detail::mask_known("aaa", "a") == "(redacted)(redacted)(redacted)");
  CHECK(detail::mask_known("text", "") == "text");
}

TEST_CASE("answers that do not fit are refused: huge expires_in, control bytes, odd ids",
          "[mapping][security]") {
  const auto answer = [](const std::string& body) {
    return failure_of(refresh_with("IGQWR-token-0123456789", 200, body));
  };
  CHECK(answer(R"({"access_token":"t","expires_in":9300000000})") ==
        Failure{ErrorCategory::invalid_response, "the answer's expires_in is more than 10 years"});
  CHECK(answer(R"({"access_token":"t","expires_in":999999999999})") ==
        Failure{ErrorCategory::invalid_response, "the answer's expires_in is more than 10 years"});
  CHECK(answer(R"({"access_token":"t","token_type":"\u001b[2J"})") ==
        Failure{ErrorCategory::invalid_response,
                "the answer's token_type contains control characters"});
  CHECK(answer(R"({"access_token":"IGQ\r\nX-Injected: 1"})") ==
        Failure{ErrorCategory::invalid_response,
                "the answer's access_token contains control characters"});
  CHECK(answer(R"({"access_token":"IGQ\u0000"})") ==
        Failure{ErrorCategory::invalid_response,
                "the answer's access_token contains control characters"});
  for (const char* id : {R"("0017841405793187218")", R"("123456789012345678901")"}) {
    CHECK(
        answer(std::string(R"({"access_token":"t","user_id":)") + id + "}") ==
        Failure{ErrorCategory::invalid_response, "the answer's user_id is not a decimal integer"});
  }
  const Result<AccessToken> sixty_days =
      refresh_with("IGQWR-token-0123456789", 200, R"({"access_token":"t","expires_in":5183944})");
  REQUIRE(sixty_days);
  CHECK(*sixty_days->expires_at - *sixty_days->received_at == std::chrono::seconds(5183944));
}

TEST_CASE("printing a token escapes whatever came from the server", "[token][security]") {
  AccessToken token;
  token.access_token = "IGQVJ-0123456789-abcdef";
  token.user_id = "17841405793187218";
  token.permissions = {"a\nexpires_in=1s", "b\x1b[2J"};
  token.token_type = "bearer\\";
  std::ostringstream out;
  out << token;
  CHECK(out.str() ==
        "AccessToken{access_token=IGQV\u2026(redacted), user_id=17841405793187218, "
        "permissions=[a\\x0aexpires_in=1s,b\\x1b[2J], token_type=bearer\\x5c}");
}

TEST_CASE("hostile JSON that held up keeps holding: nesting, BOM, NaN, negative ids",
          "[mapping][security]") {
  const auto answer = [](const std::string& body) {
    return failure_of(refresh_with("IGQWR-token-0123456789", 200, body));
  };
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  CHECK(answer(deep) ==
        Failure{ErrorCategory::invalid_response, "the answer is not a JSON object"});
  CHECK(answer(R"({"access_token":"t","expires_in":NaN})") ==
        Failure{ErrorCategory::invalid_response,
                "the answer is not JSON (HTTP 200, application/json)"});
  CHECK(answer(R"({"access_token":"t","user_id":-17841405793187218})") ==
        Failure{ErrorCategory::invalid_response, "the answer's user_id is not a decimal integer"});
  CHECK(answer(R"({"access_token":"t","user_id":1.7841405793187218e16})") ==
        Failure{ErrorCategory::invalid_response, "the answer's user_id is not a decimal integer"});
  const Result<AccessToken> bom =
      refresh_with("IGQWR-token-0123456789", 200, "\xEF\xBB\xBF{\"access_token\":\"IGQWR-new\"}");
  REQUIRE(bom);  // nlohmann/json skips a UTF-8 byte order mark
  CHECK(bom->access_token == "IGQWR-new");
}
