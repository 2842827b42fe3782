// The examples, built in every build and run against the look-alike.
#include "catch.hpp"
#include "instagram_mock.hpp"
#include "process.hpp"
#include "reference_query.hpp"
#include "secret_scan.hpp"

#include <httplib.h>

#include <string>

using namespace instagram::oauth;
using testing::check_no_leak;
using testing::ProcessResult;
using testing::run_process;

namespace {

testing::Environment look_alike(const testing::InstagramMock& mock) {
  return {{"INSTAGRAM_CLIENT_SECRET", testing::leak_test_secret},
          {"INSTAGRAM_ENDPOINT_BASE", mock.base_url()},
          {"INSTAGRAM_CA_FILE", mock.ca_file()}};
}

}  // namespace

TEST_CASE("examples/quickstart, the README's example, prints the URL and reads the redirect",
          "[examples]") {
  const testing::Environment secret = {{"INSTAGRAM_CLIENT_SECRET", testing::leak_test_secret}};
  const ProcessResult denied = run_process(
      {EXAMPLE_QUICKSTART,
       "https://socialsizzle.herokuapp.com/auth/?error=access_denied&error_reason=user_denied"
       "&error_description=The+user+denied+your+request&state=from-the-users-session"},
      secret);
  CHECK(denied.exit_code == 1);
  CHECK(denied.out ==
        "https://www.instagram.com/oauth/"
        "authorize?client_id=990602627938098&redirect_uri=https%3A%2F%2F"
        "socialsizzle.herokuapp.com%2Fauth%2F&scope=instagram_business_basic&response_type=code&"
        "state=from-the-users-session\n");
  CHECK(denied.err ==
        "authorization_denied: The user denied your request (access_denied, user_denied)\n");
  const ProcessResult forged = run_process(
      {EXAMPLE_QUICKSTART, "https://socialsizzle.herokuapp.com/auth/?code=AQB1&state=x#_"}, secret);
  CHECK(forged.exit_code == 1);
  CHECK(forged.err == "state_mismatch: the redirect's state does not match the expected state\n");
  CHECK(run_process({EXAMPLE_QUICKSTART}, secret).exit_code == 2);
}

TEST_CASE("examples/authorize_url prints a URL with a fresh state", "[examples]") {
  const ProcessResult result = run_process({EXAMPLE_AUTHORIZE_URL});
  CHECK(result.exit_code == 0);
  const auto params = testing::reference_query(result.out.substr(0, result.out.size() - 1));
  REQUIRE(params.size() == 5);
  CHECK(params[0] == std::pair<std::string, std::string>{"client_id", "990602627938098"});
  CHECK(params[2] == std::pair<std::string, std::string>{
                         "scope", "instagram_business_basic,instagram_business_content_publish"});
  CHECK(params[4].first == "state");
  CHECK(params[4].second.size() == 43);
}

TEST_CASE("examples/handle_redirect reads a code, a refusal and a forged state", "[examples]") {
  const ProcessResult code = run_process(
      {EXAMPLE_HANDLE_REDIRECT, "https://socialsizzle.herokuapp.com/auth/?code=AQBx-hBsH3...#_"});
  CHECK(code.exit_code == 0);
  CHECK(code.out == "Received a code of 13 characters; exchange it within the hour.\n");
  const ProcessResult denied = run_process(
      {EXAMPLE_HANDLE_REDIRECT,
       "https://socialsizzle.herokuapp.com/auth/?error=access_denied&error_reason=user_denied"
       "&error_description=The+user+denied+your+request"});
  CHECK(denied.exit_code == 0);
  CHECK(denied.out == "The user said no: The user denied your request (user_denied)\n");
  const ProcessResult forged =
      run_process({EXAMPLE_HANDLE_REDIRECT,
                   "https://socialsizzle.herokuapp.com/auth/?code=AQB1&state=theirs", "mine"});
  CHECK(forged.exit_code == 1);
  CHECK(forged.err == "state_mismatch: the redirect's state does not match the expected state\n");
  CHECK(run_process({EXAMPLE_HANDLE_REDIRECT}).exit_code == 2);
}

TEST_CASE("examples/exchange_code trades a code over HTTPS", "[examples]") {
  testing::MockOptions options;
  options.tls = true;
  options.client_secret = testing::leak_test_secret;
  testing::InstagramMock mock(options);
  const std::string code = mock.issue_code();
  const ProcessResult result = run_process({EXAMPLE_EXCHANGE_CODE, code}, look_alike(mock));
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "short-lived: AccessToken{access_token=IGQV\u2026(redacted), user_id=17841405793187218}\n"
        "long-lived:  AccessToken{access_token=IGQW\u2026(redacted), token_type=bearer, "
        "expires_in=5183944s}\n");
  check_no_leak(result);
  const ProcessResult again = run_process({EXAMPLE_EXCHANGE_CODE, code}, look_alike(mock));
  CHECK(again.exit_code == 1);
  CHECK(again.err ==
        "api: Matching code was not found or was already used (OAuthException, code 400, HTTP "
        "400)\n");
  check_no_leak(again);
}

TEST_CASE("examples/web_login signs a user in through the browser's round trip", "[examples]") {
  testing::MockOptions options;
  options.client_secret = testing::leak_test_secret;
  const int port = testing::free_loopback_port();
  options.redirect_uri = "http://127.0.0.1:" + std::to_string(port) + "/auth/";
  testing::InstagramMock mock(options);
  testing::Process app({EXAMPLE_WEB_LOGIN, std::to_string(port)}, look_alike(mock));
  REQUIRE(app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));

  httplib::Client browser("http://127.0.0.1:" + std::to_string(port));
  const auto home = browser.Get("/");
  REQUIRE(home);
  CHECK(home->body.find("<a href=\"/login\">Log in with Instagram</a>") != std::string::npos);

  const auto login = browser.Get("/login");
  REQUIRE(login);
  REQUIRE(login->status == 302);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  const std::string state_cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string authorize = login->get_header_value("Location");
  httplib::Client instagram(mock.base_url());
  const auto window = instagram.Get(authorize.substr(mock.base_url().size()).c_str());
  REQUIRE(window);
  const std::string callback = window->get_header_value("Location");
  const std::string callback_path = callback.substr(callback.find("/auth/"));

  const auto forged = browser.Get(callback_path.c_str(), {{"Cookie", "oauth_state=someone-else"}});
  REQUIRE(forged);
  CHECK(forged->status == 400);
  CHECK(forged->body.find(
            "Not signed in: the redirect&#39;s state does not match the expected state") !=
        std::string::npos);

  // The attacker's link opened in a browser without the state cookie: refused.
  const auto no_cookie = browser.Get(callback_path.c_str());
  REQUIRE(no_cookie);
  CHECK(no_cookie->status == 400);
  CHECK(no_cookie->body.find("Not signed in: expected state is empty") != std::string::npos);
  const auto empty_state =
      browser.Get((callback_path.substr(0, callback_path.find("state=") + 6)).c_str());
  REQUIRE(empty_state);
  CHECK(empty_state->status == 400);
  CHECK(empty_state->body.find("Signed in") == std::string::npos);

  const auto signed_in = browser.Get(callback_path.c_str(), {{"Cookie", state_cookie}});
  REQUIRE(signed_in);
  CHECK(signed_in->status == 200);
  CHECK(signed_in->body.find("Signed in as Instagram user 17841405793187218.") !=
        std::string::npos);
  CHECK(signed_in->body.find("IGQ") == std::string::npos);

  const auto hostile = browser.Get("/auth/?error=<script>&error_description=<b>x</b>",
                                   {{"Cookie", "oauth_state=s"}});
  REQUIRE(hostile);
  CHECK(hostile->body.find("<b>") == std::string::npos);

  app.terminate();
  const ProcessResult result = app.wait();
  CHECK(result.exit_code == 0);
  check_no_leak(result);
}
