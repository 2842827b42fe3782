// The examples, built in every build and run against the look-alike.
#include "catch.hpp"
#include "process.hpp"
#include "reference_query.hpp"
#include "secret_scan.hpp"
#include "skip.hpp"

#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/testing/signed_request.hpp>
#ifdef INSTAGRAM_OAUTH_WITH_POSTGRES
#include <instagram/oauth/postgres/token_store.hpp>

#include "postgres_server.hpp"
#endif

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <thread>

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

TEST_CASE("examples/many_logins signs 1,000 users in from one thread", "[examples]") {
  const ProcessResult result = run_process({EXAMPLE_MANY_LOGINS, "1000", "200"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.rfind("1000 of 1000 sign-ins in ", 0) == 0);
  const std::size_t saw = result.out.find("the look-alike saw ");
  REQUIRE(saw != std::string::npos);
  CHECK(std::stoi(result.out.substr(saw + 19)) <= 200);
  CHECK(result.err.empty());
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

namespace {

// web_login on a free port against a plain-http look-alike that redirects back to it.
struct WebLogin {
  testing::InstagramMock mock;
  int port;
  testing::Process app;

  static testing::MockOptions mock_for(int port) {
    testing::MockOptions options;
    options.client_secret = testing::leak_test_secret;
    options.redirect_uri = "http://127.0.0.1:" + std::to_string(port) + "/auth/";
    return options;
  }
  explicit WebLogin(int free_port = testing::free_loopback_port())
      : mock(mock_for(free_port)),
        port(free_port),
        app({EXAMPLE_WEB_LOGIN, std::to_string(free_port)}, look_alike(mock)) {}
};

// "name=value" of the answer's Set-Cookie for `name`.
std::string cookie_from(const httplib::Result& answer, const std::string& name) {
  const auto range = answer->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second.substr(0, it->second.find(';'));
  }
  return {};
}

// A sign-in as a browser makes it: /login, Instagram's window (the look-alike allows), then
// the callback with the binding cookie; the callback's answer.
httplib::Result sign_in(httplib::Client& browser, const testing::InstagramMock& mock) {
  auto login = browser.Get("/login");
  if (!login) return login;
  const std::string authorize = login->get_header_value("Location");
  httplib::Client instagram(mock.base_url());
  auto window = instagram.Get(authorize.substr(mock.base_url().size()).c_str());
  if (!window) return window;
  const std::string callback = window->get_header_value("Location");
  return browser.Get(callback.substr(callback.find("/auth/")).c_str(),
                     {{"Cookie", cookie_from(login, "binding")}});
}

}  // namespace

TEST_CASE("examples/web_login signs a user in, bound to the browser, and signs out", "[examples]") {
  WebLogin site;
  REQUIRE(site.app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(site.port));
  const auto home = browser.Get("/");
  REQUIRE(home);
  CHECK(home->body.find("<a id=login href=\"/login\">Sign in with Instagram</a>") !=
        std::string::npos);
  CHECK(home->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(home->get_header_value("Content-Security-Policy").rfind("default-src 'none'", 0) == 0);

  // A binding planted by someone who can set a cookie for the site is never taken: the
  // server mints a new one (a finding: it used to reflect the request's cookie).
  const auto login = browser.Get("/login", {{"Cookie", "binding=planted-by-the-attacker"}});
  REQUIRE(login);
  REQUIRE(login->status == 302);
  CHECK(cookie_from(login, "binding") != "binding=planted-by-the-attacker");
  CHECK(cookie_from(login, "binding").size() == std::string("binding=").size() + 43);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("; HttpOnly; SameSite=Lax") != std::string::npos);
  const std::string binding = cookie_from(login, "binding");
  const std::string authorize = login->get_header_value("Location");
  httplib::Client instagram(site.mock.base_url());
  const auto window = instagram.Get(authorize.substr(site.mock.base_url().size()).c_str());
  REQUIRE(window);
  const std::string callback = window->get_header_value("Location");
  const std::string callback_path = callback.substr(callback.find("/auth/"));

  // Another browser's binding, no binding at all, an empty state: refused.
  const auto other = browser.Get(callback_path.c_str(), {{"Cookie", "binding=someone-else"}});
  REQUIRE(other);
  CHECK(other->status == 400);
  CHECK(other->body.find("Not signed in: the state was issued to another browser") !=
        std::string::npos);
  const auto no_cookie = browser.Get(callback_path.c_str());
  REQUIRE(no_cookie);
  CHECK(no_cookie->status == 400);
  CHECK(no_cookie->body.find("Not signed in: this browser holds no sign-in binding (its cookie "
                             "expired, or the sign-in began in another browser)</p><p>start the "
                             "sign-in again from this browser") != std::string::npos);
  const auto empty_state = browser.Get(
      (callback_path.substr(0, callback_path.find("state=") + 6)).c_str(), {{"Cookie", binding}});
  REQUIRE(empty_state);
  CHECK(empty_state->status == 400);

  const auto signed_in = browser.Get(callback_path.c_str(), {{"Cookie", binding}});
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  CHECK(signed_in->get_header_value("Location") == "/");
  CHECK(signed_in->get_header_value("Referrer-Policy") == "no-referrer");
  const std::string session = cookie_from(signed_in, "session");
  CHECK(session.rfind("session=", 0) == 0);
  const auto page = browser.Get("/", {{"Cookie", session}});
  REQUIRE(page);
  CHECK(page->body.find("Signed in as @socialsizzle (Instagram user 17841405793187218).") !=
        std::string::npos);
  CHECK(page->body.find("IGQ") == std::string::npos);  // the token is never rendered

  // The callback replayed, with the same binding: the code was used, nothing signs in.
  const auto replayed = browser.Get(callback_path.c_str(), {{"Cookie", binding}});
  REQUIRE(replayed);
  CHECK(replayed->status == 400);

  const auto hostile = browser.Get("/auth/?error=<script>&error_description=<b>x</b>");
  REQUIRE(hostile);
  CHECK(hostile->body.find("<b>") == std::string::npos);

  // Sign-out needs the session's token from the page's form: a cross-site POST has none.
  const auto forged_logout = browser.Post("/logout", {{"Cookie", session}}, "token=guess",
                                          "application/x-www-form-urlencoded");
  REQUIRE(forged_logout);
  CHECK(forged_logout->status == 403);
  CHECK(browser.Get("/", {{"Cookie", session}})->body.find("Signed in as @socialsizzle") !=
        std::string::npos);
  const std::size_t token_at = page->body.find("name=token value=\"") + 18;
  const std::string logout_token =
      page->body.substr(token_at, page->body.find('"', token_at) - token_at);
  // Signed for this session (no store keeps it), and not the session's id.
  CHECK(!logout_token.empty());
  CHECK(session.find(logout_token) == std::string::npos);
  const auto logout = browser.Post("/logout", {{"Cookie", session}}, "token=" + logout_token,
                                   "application/x-www-form-urlencoded");
  REQUIRE(logout);
  CHECK(logout->status == 303);
  const auto after = browser.Get("/", {{"Cookie", session}});
  REQUIRE(after);
  CHECK(after->body.find("Sign in with Instagram") != std::string::npos);

  site.app.terminate();
  const ProcessResult result = site.app.wait();
  CHECK(result.exit_code == 0);
  check_no_leak(result);
}

TEST_CASE("examples/web_login answers Meta's deauthorize and data-deletion callbacks",
          "[examples]") {
  WebLogin site;
  REQUIRE(site.app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client meta("http://127.0.0.1:" + std::to_string(site.port));
  const auto issued = [](std::chrono::system_clock::duration ago) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              (std::chrono::system_clock::now() - ago).time_since_epoch())
                              .count());
  };
  const std::string valid =
      testing::make_signed_request(R"({"algorithm":"HMAC-SHA256","issued_at":)" + issued({}) +
                                       R"(,"user_id":"17841405793187218"})",
                                   testing::leak_test_secret);
  const auto form = [](const std::string& value) {
    return "signed_request=" + detail::percent_encode(value);
  };
  const auto deauthorized =
      meta.Post("/instagram/deauthorize", form(valid), "application/x-www-form-urlencoded");
  REQUIRE(deauthorized);
  CHECK(deauthorized->status == 200);
  CHECK(deauthorized->body == "ok");
  const std::string forged = testing::make_signed_request(
      R"({"algorithm":"HMAC-SHA256","user_id":"17841405793187218"})", "not-the-app-secret");
  const auto refused =
      meta.Post("/instagram/deauthorize", form(forged), "application/x-www-form-urlencoded");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->body == "invalid_signature");
  // A callback captured two hours ago does not replay (a finding: issued_at was not read).
  const std::string captured = testing::make_signed_request(
      R"({"algorithm":"HMAC-SHA256","issued_at":)" + issued(std::chrono::hours(2)) +
          R"(,"user_id":"17841405793187218"})",
      testing::leak_test_secret);
  const auto replayed =
      meta.Post("/instagram/deauthorize", form(captured), "application/x-www-form-urlencoded");
  REQUIRE(replayed);
  CHECK(replayed->status == 400);
  CHECK(replayed->body == "invalid_signature");
  const auto empty = meta.Post("/instagram/data-deletion", "", "application/x-www-form-urlencoded");
  REQUIRE(empty);
  CHECK(empty->status == 400);
  CHECK(empty->body == "invalid_argument");

  const auto deletion =
      meta.Post("/instagram/data-deletion", form(valid), "application/x-www-form-urlencoded");
  REQUIRE(deletion);
  CHECK(deletion->status == 200);
  CHECK(deletion->get_header_value("Content-Type") == "application/json");
  const auto answer = nlohmann::json::parse(deletion->body);
  const std::string code = answer.at("confirmation_code");
  CHECK(!code.empty());
  CHECK(code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        std::string::npos);
  CHECK(answer.at("url") ==
        "http://127.0.0.1:" + std::to_string(site.port) + "/deletion?id=" + code);
  // The status URL Meta shows the user reads the record; a code never issued is unknown.
  const auto status = meta.Get(("/deletion?id=" + code).c_str());
  REQUIRE(status);
  CHECK(status->status == 200);
  CHECK(status->body.find("<p id=deletion>Deletion request " + code +
                          ": your token and sessions were deleted on 20") != std::string::npos);
  const std::string never_issued(32, 'Z');
  const auto unknown = meta.Get(("/deletion?id=" + never_issued).c_str());
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(unknown->body.find("No deletion request has the code " + never_issued + ".") !=
        std::string::npos);
  // A finding: a code that is not one of ours (invalid UTF-8 among it) reached the storage,
  // which answered 503 and logged an alarm anyone could raise. Now it is a 400.
  for (const char* malformed : {"/deletion?id=%FF", "/deletion?id=never-issued", "/deletion"}) {
    INFO(malformed);
    const auto refused_id = meta.Get(malformed);
    REQUIRE(refused_id);
    CHECK(refused_id->status == 400);
    CHECK(refused_id->body.find("That is not a deletion request's code.") != std::string::npos);
  }
  // A finding: the same callback replayed within its hour made a new record each time. Now
  // it answers the same code.
  const auto again =
      meta.Post("/instagram/data-deletion", form(valid), "application/x-www-form-urlencoded");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(nlohmann::json::parse(again->body).at("confirmation_code") == code);
  site.app.terminate();
  const ProcessResult result = site.app.wait();
  CHECK(result.err.find("storage:") == std::string::npos);
  check_no_leak(result);
}

TEST_CASE("examples/web_login: sessions end on the server, and a cookie it did not set is a 400",
          "[examples]") {
  const int port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(port));
  testing::Environment environment = look_alike(mock);
  environment.emplace_back("INSTAGRAM_SESSION_SECONDS", "2");
  testing::Process app({EXAMPLE_WEB_LOGIN, std::to_string(port)}, environment);
  REQUIRE(app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(port));
  const httplib::Result signed_in = sign_in(browser, mock);
  REQUIRE(signed_in);
  REQUIRE(signed_in->status == 303);
  bool lasts_two_seconds = false;
  const auto set_cookies = signed_in->headers.equal_range("Set-Cookie");
  for (auto it = set_cookies.first; it != set_cookies.second; ++it) {
    lasts_two_seconds |=
        it->second.rfind("session=", 0) == 0 && it->second.find("; Max-Age=2") != std::string::npos;
  }
  CHECK(lasts_two_seconds);
  const std::string session = cookie_from(signed_in, "session");
  const auto page = browser.Get("/", {{"Cookie", session}});
  REQUIRE(page);
  CHECK(page->body.find("Signed in as @socialsizzle") != std::string::npos);
  // The browser may keep the cookie past its Max-Age; the server ends the session anyway.
  bool ended = false;
  for (int i = 0; i < 100 && !ended; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto later = browser.Get("/", {{"Cookie", session}});
    REQUIRE(later);
    ended = later->body.find("Sign in with Instagram") != std::string::npos;
  }
  CHECK(ended);
  // A cookie the site did not set (invalid UTF-8, the wrong length): 400, cleared, and no
  // storage alarm.
  for (const char* planted : {"session=%FF%FE", "session=\xff\xfe", "session=short"}) {
    INFO(planted);
    const auto refused = browser.Get("/", {{"Cookie", planted}});
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("The session cookie is not one this site set.") != std::string::npos);
    CHECK(refused->get_header_value("Set-Cookie").rfind("session=; Path=/", 0) == 0);
    const auto logout = browser.Post("/logout", {{"Cookie", planted}}, "token=x",
                                     "application/x-www-form-urlencoded");
    REQUIRE(logout);
    CHECK(logout->status == 400);
  }
  app.terminate();
  const ProcessResult result = app.wait();
  CHECK(result.err.find("storage:") == std::string::npos);
  check_no_leak(result);
}

#if defined(INSTAGRAM_OAUTH_WITH_PROMETHEUS)
TEST_CASE("examples/web_login serves /metrics: its sign-in's requests and its webhook checks",
          "[examples][prometheus]") {
  WebLogin site;
  REQUIRE(site.app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(site.port));
  const httplib::Result signed_in = sign_in(browser, site.mock);
  REQUIRE(signed_in);
  REQUIRE(signed_in->status == 303);
  const std::string event = R"({"object":"instagram","entry":[]})";
  const auto verified =
      browser.Post("/webhooks", {{"X-Hub-Signature-256", site.mock.webhook_signature(event)}},
                   event, "application/json");
  REQUIRE(verified);
  CHECK(verified->status == 200);
  const auto forged =
      browser.Post("/webhooks", {{"X-Hub-Signature-256", "sha256=00"}}, event, "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 403);

  const auto metrics = browser.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  const std::string text = "\n" + metrics->body;
  for (const char* line :
       {R"(instagram_oauth_requests_total{endpoint="exchange",outcome="ok"} 1)",
        R"(instagram_oauth_requests_total{endpoint="long_lived",outcome="ok"} 1)",
        R"(instagram_oauth_requests_total{endpoint="me",outcome="ok"} 1)",
        R"(instagram_oauth_request_duration_seconds_count{endpoint="exchange"} 1)",
        R"(instagram_oauth_webhooks_verified_total{valid="true"} 1)",
        R"(instagram_oauth_webhooks_verified_total{valid="false"} 1)"}) {
    INFO(line);
    CHECK(text.find("\n" + std::string(line) + "\n") != std::string::npos);
  }
  CHECK(text.find("17841405793187218") == std::string::npos);
  site.app.terminate();
  const ProcessResult result = site.app.wait();
  CHECK(result.exit_code == 0);
  check_no_leak(result);
}
#endif

#if defined(EXAMPLE_COROUTINE_LOGIN)
TEST_CASE("examples/coroutine_login signs a user in with co_await, bound to the browser",
          "[examples][asio]") {
  const int port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(port));
  testing::Process app({EXAMPLE_COROUTINE_LOGIN, std::to_string(port)}, look_alike(mock));
  REQUIRE(app.wait_for_stdout("coroutine_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(port));
  const auto home = browser.Get("/");
  REQUIRE(home);
  CHECK(home->body.find("<a id=login href=\"/login\">Sign in with Instagram</a>") !=
        std::string::npos);

  // The whole sign-in: /login, Instagram's window, the callback with this browser's binding.
  auto login = browser.Get("/login");
  REQUIRE(login);
  REQUIRE(login->status == 302);
  const std::string binding = cookie_from(login, "binding");
  REQUIRE(binding.size() > std::string("binding=").size());
  const std::string authorize = login->get_header_value("Location");
  httplib::Client instagram(mock.base_url());
  instagram.set_ca_cert_path(mock.ca_file().c_str());
  const auto window = instagram.Get(authorize.substr(mock.base_url().size()).c_str());
  REQUIRE(window);
  const std::string callback = window->get_header_value("Location");
  const std::string callback_path = callback.substr(callback.find("/auth/"));

  // Without the binding cookie (another browser, an attacker's link): refused, nothing traded.
  const auto stranger = browser.Get(callback_path.c_str());
  REQUIRE(stranger);
  CHECK(stranger->status == 400);
  CHECK(stranger->body.find("<p>Not signed in: ") != std::string::npos);

  const auto signed_in = browser.Get(callback_path.c_str(), {{"Cookie", binding}});
  REQUIRE(signed_in);
  CHECK(signed_in->status == 200);
  CHECK(signed_in->body.find(
            "<p id=signed-in>Signed in as @socialsizzle (Instagram user 17841405793187218).</p>") !=
        std::string::npos);
  CHECK(signed_in->body.find("IGQ") == std::string::npos);
  // The same callback again: the code is spent at Instagram, whose words are shown.
  const auto replayed = browser.Get(callback_path.c_str(), {{"Cookie", binding}});
  REQUIRE(replayed);
  CHECK(replayed->status == 400);
  CHECK(replayed->body.find(
            "<p>Not signed in: Matching code was not found or was already used</p>") !=
        std::string::npos);
  app.terminate();
  const ProcessResult result = app.wait();
  CHECK(result.exit_code == 0);
  check_no_leak(result);
}
#endif

TEST_CASE("examples/web_login verifies Meta's webhooks and answers the handshake", "[examples]") {
  const int port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(port));
  testing::Environment environment = look_alike(mock);
  environment.emplace_back("INSTAGRAM_WEBHOOK_VERIFY_TOKEN", "our-verify-token");
  environment.emplace_back("INSTAGRAM_APP_SECRETS", "meta-app-secret-0123456789abcdef");
  testing::Process app({EXAMPLE_WEB_LOGIN, std::to_string(port)}, environment);
  REQUIRE(app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client meta("http://127.0.0.1:" + std::to_string(port));

  const auto handshake = meta.Get(
      "/webhooks?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=our-verify-token");
  REQUIRE(handshake);
  CHECK(handshake->status == 200);
  CHECK(handshake->body == "1158201444");
  const auto wrong_token =
      meta.Get("/webhooks?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
  REQUIRE(wrong_token);
  CHECK(wrong_token->status == 403);

  // An event as Meta sends it: non-ASCII escaped, signed over these exact bytes by the app.
  const std::string event =
      R"({"object":"instagram","entry":[{"id":"17841405793187218","time":1764500000,)"
      R"("changes":[{"field":"comments","value":{"text":"Käse"}}]}]})";
  const auto verified =
      meta.Post("/webhooks", {{"X-Hub-Signature-256", mock.webhook_signature(event)}}, event,
                "application/json");
  REQUIRE(verified);
  CHECK(verified->status == 200);
  CHECK(verified->body == "EVENT_RECEIVED");
  const auto forged =
      meta.Post("/webhooks",
                {{"X-Hub-Signature-256",
                  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}},
                event, "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 403);
  CHECK(forged->body == "invalid_signature");
  const auto unsigned_event = meta.Post("/webhooks", event, "application/json");
  REQUIRE(unsigned_event);
  CHECK(unsigned_event->status == 403);
  CHECK(unsigned_event->body == "invalid_argument");

  // A finding: any body was read whole before routing (512 MiB to /webhooks held 524 MB). A
  // body over 256 KiB is refused as it arrives: declared, or chunked without a length.
  const auto oversized = meta.Post("/webhooks", std::string(1 << 20, 'x'), "application/json");
  REQUIRE(oversized);
  CHECK(oversized->status == 413);
  const int raw = testing::connect_to_loopback(port);
  const std::string chunk(300 * 1024, 'y');
  std::ostringstream chunked;
  chunked << "POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          << std::hex << chunk.size() << "\r\n"
          << chunk << "\r\n";
  const std::string request = chunked.str();
  REQUIRE(::send(raw, request.data(), request.size(), MSG_NOSIGNAL) > 0);
  // No last chunk was sent: an answer now means the body was refused as it arrived, not read
  // whole (Debian's cpp-httplib 0.11 says 400 for a chunked body over the cap, 413 above).
  char status[32] = {};
  REQUIRE(::recv(raw, status, sizeof status - 1, 0) > 0);
  CHECK(std::string(status).rfind("HTTP/1.1 400 ", 0) == 0);
  ::close(raw);
  app.terminate();
  const ProcessResult result = app.wait();
  CHECK(result.out.find("webhook: a verified event of " + std::to_string(event.size()) +
                        " bytes") != std::string::npos);
  CHECK(result.out.find("K\\u00e4se") == std::string::npos);
  check_no_leak(result);
}

TEST_CASE("examples/web_login behind an https front: __Host- cookies with Secure", "[examples]") {
  const int port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(port));
  testing::Environment environment = look_alike(mock);
  environment.emplace_back("INSTAGRAM_REDIRECT_URI", "https://login.example.com/auth/");
  testing::Process app({EXAMPLE_WEB_LOGIN, std::to_string(port)}, environment);
  REQUIRE(app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(port));
  // Served over https by the front, so a sibling subdomain or another port cannot plant
  // the binding: the cookie is bound to this exact host.
  const auto login = browser.Get("/login", {{"Cookie", "__Host-binding=planted"}});
  REQUIRE(login);
  REQUIRE(login->status == 302);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(set_cookie.rfind("__Host-binding=", 0) == 0);
  CHECK(set_cookie.find("__Host-binding=planted") == std::string::npos);
  CHECK(set_cookie.find("; Path=/; HttpOnly; SameSite=Lax; Secure") != std::string::npos);
  CHECK(set_cookie.find("Domain") == std::string::npos);
  // The authorization window sends the user back to the front's address.
  CHECK(login->get_header_value("Location").find("login.example.com") != std::string::npos);
  app.terminate();
  check_no_leak(app.wait());
}

#ifdef INSTAGRAM_OAUTH_WITH_POSTGRES
TEST_CASE(
    "examples/web_login as a fleet: sessions and tokens in PostgreSQL, any instance serves "
    "any user",
    "[examples][postgres]") {
  if (!testing::PostgresServer::installed()) {
    testing::skip_test("PostgreSQL is not installed (scripts/setup-deps.sh test installs it)");
    return;
  }
  testing::PostgresServer database;
  const std::string token_key = "fleet-token-key-0123456789abcdefghijklmn";
  // Both instances answer for one public address, as behind a front.
  const int public_port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(public_port));
  const auto instance = [&](int port) {
    testing::Environment environment = look_alike(mock);
    environment.emplace_back("INSTAGRAM_REDIRECT_URI",
                             "http://127.0.0.1:" + std::to_string(public_port) + "/auth/");
    environment.emplace_back("INSTAGRAM_STATE_KEY", "fleet-state-key-0123456789abcdefghijklm");
    environment.emplace_back("INSTAGRAM_DATABASE_URL", database.conninfo());
    environment.emplace_back("INSTAGRAM_TOKEN_KEYS", token_key);
    auto app = std::make_unique<testing::Process>(
        std::vector<std::string>{EXAMPLE_WEB_LOGIN, std::to_string(port)}, environment);
    REQUIRE(app->wait_for_stdout("web_login listening", std::chrono::seconds(20)));
    return app;
  };
  const int port_a = testing::free_loopback_port();
  const int port_b = testing::free_loopback_port();
  std::unique_ptr<testing::Process> a = instance(port_a);
  std::unique_ptr<testing::Process> b = instance(port_b);
  httplib::Client on_a("http://127.0.0.1:" + std::to_string(port_a));
  httplib::Client on_b("http://127.0.0.1:" + std::to_string(port_b));

  // A login begun on A, whose instance dies before the callback: B finishes it.
  const auto login = on_a.Get("/login");
  REQUIRE(login);
  REQUIRE(login->status == 302);
  const std::string binding = cookie_from(login, "binding");
  const std::string authorize = login->get_header_value("Location");
  httplib::Client instagram(mock.base_url());
  const auto window = instagram.Get(authorize.substr(mock.base_url().size()).c_str());
  REQUIRE(window);
  const std::string callback = window->get_header_value("Location");
  a->terminate();
  check_no_leak(a->wait());
  const auto signed_in =
      on_b.Get(callback.substr(callback.find("/auth/")).c_str(), {{"Cookie", binding}});
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  const std::string session = cookie_from(signed_in, "session");
  REQUIRE(session.size() == std::string("session=").size() + 43);

  // The session from a new instance: it lives in the database, not in B.
  const int port_c = testing::free_loopback_port();
  std::unique_ptr<testing::Process> c = instance(port_c);
  httplib::Client on_c("http://127.0.0.1:" + std::to_string(port_c));
  for (httplib::Client* client : {&on_b, &on_c}) {
    const auto page = client->Get("/", {{"Cookie", session}});
    REQUIRE(page);
    CHECK(page->body.find("Signed in as @socialsizzle (Instagram user 17841405793187218).") !=
          std::string::npos);
  }

  // The long-lived token, sealed in the store: it opens with the fleet's key and works.
  const auto store = PostgresTokenStore::open(database.conninfo(), {token_key}).value();
  const std::optional<StoredToken> kept = store->load("17841405793187218").value();
  REQUIRE(kept);
  CHECK(!kept->reauthorization_needed);
  CHECK(kept->token.expires_in == std::chrono::seconds(5183944));
  const ProfileClient profiles =
      ProfileClient::create(mock.app_config(), mock.client_options()).value();
  CHECK(profiles.me(kept->token.access_token).value().username == "socialsizzle");
  // Neither the token nor the session's id is in the database in clear.
  const std::string dump = database.dump();
  CHECK(dump.find("instagram_oauth_sessions") != std::string::npos);  // the library's store
  CHECK(dump.find("web_login_users") != std::string::npos);
  CHECK(dump.find(kept->token.access_token) == std::string::npos);
  CHECK(dump.find(session.substr(std::string("session=").size())) == std::string::npos);

  // The database restarted: a page meanwhile says so (503, no detail for the visitor), and
  // the instance reconnects after.
  database.stop();
  const auto unreachable = on_b.Get("/", {{"Cookie", session}});
  REQUIRE(unreachable);
  CHECK(unreachable->status == 503);
  CHECK(unreachable->body.find("<p>The site cannot reach its storage; try again shortly.</p>") !=
        std::string::npos);
  database.start();
  const auto reconnected = on_b.Get("/", {{"Cookie", session}});
  REQUIRE(reconnected);
  CHECK(reconnected->body.find("Signed in as @socialsizzle") != std::string::npos);

  // Meta's data-deletion callback on C: the token and every session go, on every instance,
  // and the status URL reports it from any of them.
  const std::string deletion_request =
      testing::make_signed_request_for_user("17841405793187218", testing::leak_test_secret);
  const auto deleted = on_c.Post("/instagram/data-deletion",
                                 "signed_request=" + detail::percent_encode(deletion_request),
                                 "application/x-www-form-urlencoded");
  REQUIRE(deleted);
  REQUIRE(deleted->status == 200);
  const std::string code = nlohmann::json::parse(deleted->body).at("confirmation_code");
  CHECK(!store->load("17841405793187218").value());
  const auto signed_out = on_b.Get("/", {{"Cookie", session}});
  REQUIRE(signed_out);
  CHECK(signed_out->body.find("Sign in with Instagram") != std::string::npos);
  const auto status = on_b.Get(("/deletion?id=" + code).c_str());
  REQUIRE(status);
  CHECK(status->status == 200);
  CHECK(status->body.find("<p id=deletion>Deletion request " + code +
                          ": your token and sessions were deleted on ") != std::string::npos);

  b->terminate();
  c->terminate();
  check_no_leak(b->wait());
  check_no_leak(c->wait());
}

#if defined(INSTAGRAM_OAUTH_WITH_PROMETHEUS)
TEST_CASE(
    "examples/web_login keeps its tokens alive on a schedule, and /metrics shows the sign-in "
    "and the pass",
    "[examples][postgres][prometheus][refresher]") {
  if (!testing::PostgresServer::installed()) {
    testing::skip_test("PostgreSQL is not installed (scripts/setup-deps.sh test installs it)");
    return;
  }
  testing::PostgresServer database;
  const std::string token_key = "fleet-token-key-0123456789abcdefghijklmn";
  const int port = testing::free_loopback_port();
  testing::InstagramMock mock(WebLogin::mock_for(port));
  testing::Environment environment = look_alike(mock);
  environment.emplace_back("INSTAGRAM_DATABASE_URL", database.conninfo());
  environment.emplace_back("INSTAGRAM_TOKEN_KEYS", token_key);
  environment.emplace_back("INSTAGRAM_REFRESH_SECONDS", "1");
  testing::Process app({EXAMPLE_WEB_LOGIN, std::to_string(port)}, environment);
  REQUIRE(app.wait_for_stdout("web_login listening", std::chrono::seconds(20)));
  httplib::Client browser("http://127.0.0.1:" + std::to_string(port));
  const httplib::Result signed_in = sign_in(browser, mock);
  REQUIRE(signed_in);
  REQUIRE(signed_in->status == 303);

  // Nothing is due yet: the new token has 60 days. Then 59 days pass, for Instagram and for
  // the store (the token written back as received then): the schedule's next pass refreshes it,
  // once; the token it writes is due in 53 days, so no pass after it sends anything.
  const auto store = PostgresTokenStore::open(database.conninfo(), {token_key}).value();
  StoredToken kept = store->load("17841405793187218").value().value();
  const auto now = std::chrono::system_clock::now();
  kept.token.received_at = now - std::chrono::hours(24 * 59);
  kept.token.expires_at = now + std::chrono::hours(24);
  mock.advance_clock(std::chrono::hours(24 * 59));  // first: a pass may start at the save
  REQUIRE(store->save(kept));
  REQUIRE(app.wait_for_stdout(
      "refresh pass: 1 refreshed, 0 recovered, 0 failed, 0 need a new login, 0 unreadable, 0 "
      "superseded",
      std::chrono::seconds(30)));
  const StoredToken refreshed = store->load("17841405793187218").value().value();
  CHECK(refreshed.token.access_token != kept.token.access_token);
  CHECK(*refreshed.token.expires_at > now + std::chrono::hours(24 * 59));

  const auto metrics = browser.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  const std::string text = "\n" + metrics->body;
  for (const char* line :
       {R"(instagram_oauth_requests_total{endpoint="exchange",outcome="ok"} 1)",
        R"(instagram_oauth_requests_total{endpoint="long_lived",outcome="ok"} 1)",
        R"(instagram_oauth_requests_total{endpoint="me",outcome="ok"} 1)",
        R"(instagram_oauth_requests_total{endpoint="refresh",outcome="ok"} 1)",
        R"(instagram_oauth_refresh_events_total{kind="refreshed"} 1)",
        R"(instagram_oauth_refresh_events_total{kind="failed"} 0)"}) {
    INFO(line);
    CHECK(text.find("\n" + std::string(line) + "\n") != std::string::npos);
  }
  CHECK(text.find("17841405793187218") == std::string::npos);
  app.terminate();
  const ProcessResult result = app.wait();
  CHECK(result.exit_code == 0);
  check_no_leak(result);
}
#endif
#endif
