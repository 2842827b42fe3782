#include "catch.hpp"
#include "failure.hpp"
#include "random_bytes.hpp"
#include "reference_query.hpp"
#include "sample_app.hpp"

#include <instagram/oauth/redirect_parser.hpp>

#include <cctype>
#include <string>

using namespace instagram::oauth;
using testing::sample_app;

namespace {

using testing::Failure;

Failure failure(const RedirectParser& parser, std::string_view redirect) {
  return testing::failure_of(parser.parse(redirect));
}

}  // namespace

TEST_CASE("the document's sample success redirect: the code without #_", "[parser]") {
  const Result<AuthorizationCode> result =
      RedirectParser(sample_app())
          .parse("https://socialsizzle.herokuapp.com/auth/?code=AQBx-hBsH3...#_");
  REQUIRE(result);
  CHECK(result->code == "AQBx-hBsH3...");
  CHECK_FALSE(result->state.has_value());
}

TEST_CASE("the document's sample canceled redirect: the decoded triple", "[parser]") {
  const Result<AuthorizationCode> result =
      RedirectParser(sample_app())
          .parse(
              "https://socialsizzle.herokuapp.com/auth/?error=access_denied"
              "&error_reason=user_denied"
              "&error_description=The+user+denied+your+request");
  REQUIRE_FALSE(result);
  const OAuthException& error = result.error();
  CHECK(error.category() == ErrorCategory::authorization_denied);
  CHECK(error.error_type() == "access_denied");
  CHECK(error.error_reason() == "user_denied");
  CHECK(error.error_message() == "The user denied your request");
  CHECK(std::string(error.what()) ==
        "authorization_denied: The user denied your request (access_denied, user_denied)");
}

TEST_CASE("a query, a bare query and surrounding whitespace are accepted", "[parser]") {
  const RedirectParser parser(sample_app());
  for (const char* redirect :
       {"?code=AQBx-hBsH3...#_", "code=AQBx-hBsH3...#_", "  \t?code=AQBx-hBsH3...\r\n",
        "\nhttps://socialsizzle.herokuapp.com/auth/?code=AQBx-hBsH3... "}) {
    INFO(redirect);
    const Result<AuthorizationCode> result = parser.parse(redirect);
    REQUIRE(result);
    CHECK(result->code == "AQBx-hBsH3...");
  }
}

TEST_CASE("values are decoded, %23 is a '#' in the code, the raw '#' starts the fragment",
          "[parser]") {
  const Result<AuthorizationCode> result =
      RedirectParser(sample_app()).parse("?code=a%2Bb+c%23d%&state=x%3D1#_&code=ignored");
  REQUIRE(result);
  CHECK(result->code == "a+b c#d%");
  CHECK(result->state == std::optional<std::string>("x=1"));
}

TEST_CASE("the base is compared by scheme, host, port and path", "[parser]") {
  const RedirectParser parser(sample_app());
  CHECK(parser.parse("HTTPS://SocialSizzle.HerokuApp.com:443/auth/?code=c").has_value());
  CHECK(failure(parser, "https://socialsizzle.herokuapp.com/auth?code=c") ==
        Failure{ErrorCategory::invalid_redirect,
                "the redirect goes to https://socialsizzle.herokuapp.com/auth, not to redirect_uri "
                "https://socialsizzle.herokuapp.com/auth/ (they differ by a trailing slash)"});
  CHECK(failure(parser, "https://evil.example/auth/?code=c") ==
        Failure{ErrorCategory::invalid_redirect,
                "the redirect goes to https://evil.example/auth/, not to redirect_uri "
                "https://socialsizzle.herokuapp.com/auth/"});
  CHECK(failure(parser, "http://socialsizzle.herokuapp.com/auth/?code=c").category ==
        ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "https://socialsizzle.herokuapp.com:8443/auth/?code=c").category ==
        ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "https://attacker@socialsizzle.herokuapp.com/auth/?code=c").category ==
        ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "https://:99999/auth/?code=c") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect is not a valid URL"});

  AppConfig root = sample_app();
  root.redirect_uri = "https://socialsizzle.herokuapp.com";
  CHECK(RedirectParser(root).parse("https://socialsizzle.herokuapp.com/?code=c").has_value());
}

TEST_CASE("checks run in a fixed order: duplicates, base, state, error, code", "[parser]") {
  RedirectParser parser(sample_app());
  parser.expected_state("s1");
  // duplicates before everything
  CHECK(
      failure(parser, "https://evil.example/?code=a&code=b") ==
      Failure{ErrorCategory::invalid_redirect, "the redirect has more than one 'code' parameter"});
  CHECK(
      failure(parser, "?state=s1&st%61te=s1&code=a") ==
      Failure{ErrorCategory::invalid_redirect, "the redirect has more than one 'state' parameter"});
  CHECK(
      failure(parser, "?error=a&error=b") ==
      Failure{ErrorCategory::invalid_redirect, "the redirect has more than one 'error' parameter"});
  // the base before the state
  CHECK(failure(parser, "https://evil.example/auth/?code=a").category ==
        ErrorCategory::invalid_redirect);
  // the state before the denial, also on a denial
  CHECK(failure(parser, "?error=access_denied&error_reason=user_denied") ==
        Failure{ErrorCategory::state_mismatch,
                "the redirect carries no state, but one was expected"});
  CHECK(failure(parser, "?error=access_denied&state=s2") ==
        Failure{ErrorCategory::state_mismatch,
                "the redirect's state does not match the expected state"});
  CHECK(failure(parser, "?code=a&state=s") ==
        Failure{ErrorCategory::state_mismatch,
                "the redirect's state does not match the expected state"});
  CHECK(failure(parser, "?code=a&state=s11") ==
        Failure{ErrorCategory::state_mismatch,
                "the redirect's state does not match the expected state"});
  // the denial before the code
  CHECK(failure(parser, "?code=a&error=access_denied&state=s1").category ==
        ErrorCategory::authorization_denied);
  // then the code
  CHECK(failure(parser, "?state=s1") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect has neither a code nor an error"});
  CHECK(failure(parser, "?state=s1&code=") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect's code is empty"});
  const Result<AuthorizationCode> ok = parser.parse("?state=s1&code=a");
  REQUIRE(ok);
  CHECK(ok->state == std::optional<std::string>("s1"));
}

TEST_CASE("an empty expected state is refused, never a match (login CSRF)", "[parser]") {
  // A browser without the state cookie yields ""; a redirect with "state=" must not match it.
  const std::string attack = "https://socialsizzle.herokuapp.com/auth/?code=attackers-code&state=";
  const Failure refused{ErrorCategory::invalid_argument,
                        "expected state is empty: pass the state sent with this user's "
                        "authorization request"};
  RedirectParser set_once(sample_app());
  set_once.expected_state("");
  for (const char* redirect : {attack.c_str(), "?code=attackers-code", "?code=c&state=s1"}) {
    INFO(redirect);
    CHECK(failure(set_once, redirect) == refused);
    const Result<AuthorizationCode> per_call = RedirectParser(sample_app()).parse(redirect, "");
    CHECK(testing::failure_of(per_call) == refused);
  }
}

TEST_CASE("parse(redirect, expected_state): one parser serves every request", "[parser]") {
  const RedirectParser parser(sample_app());
  const Result<AuthorizationCode> ok = parser.parse("?code=a&state=s1", "s1");
  REQUIRE(ok);
  CHECK(ok->code == "a");
  const Result<AuthorizationCode> other = parser.parse("?code=a&state=s1", "s2");
  REQUIRE_FALSE(other);
  CHECK(other.error().category() == ErrorCategory::state_mismatch);
  CHECK(other.error().error_message() == "the redirect's state does not match the expected state");
  const Result<AuthorizationCode> missing = parser.parse("?code=a", "s1");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().error_message() == "the redirect carries no state, but one was expected");
}

TEST_CASE("a denial without a description still says what happened", "[parser]") {
  const Result<AuthorizationCode> result =
      RedirectParser(sample_app()).parse("?error=access_denied");
  REQUIRE_FALSE(result);
  CHECK(result.error().category() == ErrorCategory::authorization_denied);
  CHECK(result.error().error_message() == "the user did not authorize the app");
  CHECK(result.error().error_reason().empty());
}

TEST_CASE("an unusable redirect_uri is the caller's error", "[parser]") {
  AppConfig config = sample_app();
  config.redirect_uri = "http://socialsizzle.herokuapp.com/auth/";
  CHECK(failure(RedirectParser(config), "?code=a") ==
        Failure{
            ErrorCategory::invalid_argument,
            "redirect_uri must use https (http is allowed only for 127.0.0.1, ::1 and localhost)"});
}

TEST_CASE("URLs without '://' are not bare queries: their base is refused", "[parser]") {
  const RedirectParser parser(sample_app());
  const Failure not_ours{ErrorCategory::invalid_redirect,
                         "the redirect is not an absolute URL of redirect_uri (a scheme without "
                         "'//', a leading '//' or a backslash)"};
  for (const char* redirect :
       {"https:evil.example/auth/?&code=X&state=S", "https:/evil.example/auth/?code=X&state=S",
        "https:\\\\evil.example/auth/?code=X&state=S", "//evil.example/auth/?code=X&state=S",
        "javascript:alert(1)//?&code=X&state=S", "\\\\evil.example\\auth?code=X"}) {
    INFO(redirect);
    CHECK(failure(parser, redirect) == not_ours);
    CHECK(testing::failure_of(parser.parse(redirect, "S")) == not_ours);
  }
  // Bare queries and query strings stay readable, colons in values included.
  CHECK(parser.parse("code=a:b&state=S").value().code == "a:b");
  CHECK(parser.parse("?code=X&state=https://x").value().code == "X");
}

TEST_CASE("hostile redirects get a category, never a crash", "[parser]") {
  const RedirectParser parser(sample_app());
  CHECK(failure(parser, "") == Failure{ErrorCategory::invalid_redirect, "the redirect is empty"});
  CHECK(failure(parser, " \t\r\n") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect is empty"});
  CHECK(failure(parser, "#_") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect has neither a code nor an error"});
  CHECK(failure(parser, "%").category == ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "%%").category == ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "?&&&").category == ErrorCategory::invalid_redirect);
  CHECK(failure(parser, "==").category == ErrorCategory::invalid_redirect);
  CHECK(failure(parser,
                "?code=a\x01"
                "b") ==
        Failure{ErrorCategory::invalid_redirect, "the redirect contains a control character"});
  CHECK(failure(parser, std::string("?code=a\0b", 9)) ==
        Failure{ErrorCategory::invalid_redirect, "the redirect contains a control character"});
  // Decoded control bytes are refused too: they would forge lines in logs and terminals.
  for (const char* redirect : {"?code=%00", "?code=a%0Astate:%20x", "?code=%1B%5B2J"}) {
    CHECK(failure(parser, redirect) == Failure{ErrorCategory::invalid_redirect,
                                               "the redirect's code contains a control character"});
  }
  CHECK(failure(parser, "?code=a&state=x%0D%0Ay") ==
        Failure{ErrorCategory::invalid_redirect,
                "the redirect's state contains a control character"});

  // 10 MB inputs are read in one pass (no quadratic work to time out on).
  CHECK(failure(parser, "?" + std::string(10 << 20, '&')).category ==
        ErrorCategory::invalid_redirect);
  CHECK(parser.parse("?code=" + std::string(10 << 20, 'A')).has_value());
  const std::string huge_code(100 * 1024, 'A');
  const Result<AuthorizationCode> big = parser.parse("?code=" + huge_code + "#_");
  REQUIRE(big);
  CHECK(big->code == huge_code);
  CHECK(failure(parser, std::string(100 * 1024, '&')).category == ErrorCategory::invalid_redirect);
  CHECK(failure(parser, std::string(100 * 1024, '%')).category == ErrorCategory::invalid_redirect);
  const std::string huge_host = "https://" + std::string(100 * 1024, 'h') + "/auth/?code=a";
  const auto [category, message] = failure(parser, huge_host);
  CHECK(category == ErrorCategory::invalid_redirect);
  CHECK(message.size() < 500);

  // Random bytes, many of them made of query pieces: every success is what an independent
  // WHATWG reader finds in the query, every failure one of the redirect categories.
  std::mt19937 rng(99);
  int successes = 0;
  for (int i = 0; i < 10'000; ++i) {
    std::string input = (i % 2 == 0 ? "?code=" : "") + testing::random_bytes(rng, 64);
    input = input.substr(0, input.find('#'));
    while (!input.empty() && std::isspace(static_cast<unsigned char>(input.back()))) {
      input.pop_back();  // the parser trims surrounding whitespace; the reader does not
    }
    if (input.empty()) continue;
    const Result<AuthorizationCode> result = parser.parse(input);
    if (result) {
      ++successes;
      const auto params = testing::reference_query(input.front() == '?' ? input : "?" + input);
      std::string code;
      for (const auto& [name, value] : params) {
        if (name == "code" && code.empty()) code = value;
      }
      REQUIRE(result->code == code);
      REQUIRE(!result->code.empty());
    } else {
      const ErrorCategory failed_as = result.error().category();
      REQUIRE((failed_as == ErrorCategory::invalid_redirect ||
               failed_as == ErrorCategory::authorization_denied));
    }
  }
  CHECK(successes > 1000);  // the loop exercised the success path too
}

TEST_CASE("the parser keeps no reference to the AppConfig", "[parser]") {
  auto config = std::make_unique<AppConfig>(sample_app());
  RedirectParser parser(*config);
  // Changed, then freed: a reference would see the change (and ASan the freed memory).
  config->redirect_uri = "https://evil.example/";
  config.reset();
  CHECK(parser.parse("https://socialsizzle.herokuapp.com/auth/?code=c").has_value());
}

TEST_CASE("parse(redirect, signer, binding): the code and the return_to of a signed state",
          "[redirect]") {
  const StateSigner signer = StateSigner::create({std::string(32, 'k')}).value();
  const RedirectParser parser(sample_app());
  const std::string state = signer.issue("binding-of-this-browser", "/settings").value();
  const std::string base = sample_app().redirect_uri;
  const std::string redirect =
      base + "?code=AQBx-hBsH3&state=" + detail::percent_encode(state) + "#_";
  const Result<SignedRedirect> signed_in =
      parser.parse(redirect, signer, "binding-of-this-browser");
  REQUIRE(signed_in);
  CHECK(signed_in->code.code == "AQBx-hBsH3");
  CHECK(signed_in->code.state == state);
  CHECK(signed_in->return_to == "/settings");
  CHECK(testing::failure_of(parser.parse(redirect, signer, "another-browser")).category ==
        ErrorCategory::state_mismatch);
  CHECK(testing::failure_of(parser.parse(redirect, signer, "")) ==
        testing::Failure{ErrorCategory::state_mismatch,
                         "this browser holds no sign-in binding (its cookie expired, or the "
                         "sign-in began in another browser)"});
  // The state is checked before a denial is reported, as with an expected state.
  CHECK(testing::failure_of(
            parser.parse(base + "?error=access_denied", signer, "binding-of-this-browser")) ==
        testing::Failure{ErrorCategory::state_mismatch,
                         "the redirect carries no state, but one was expected"});
  const std::string denied =
      base + "?error=access_denied&error_reason=user_denied&state=" + detail::percent_encode(state);
  CHECK(testing::failure_of(parser.parse(denied, signer, "binding-of-this-browser")).category ==
        ErrorCategory::authorization_denied);
  const StateSigner other = StateSigner::create({std::string(32, 'o')}).value();
  CHECK(testing::failure_of(parser.parse(redirect, other, "binding-of-this-browser")).category ==
        ErrorCategory::state_mismatch);
}
