// Keeping long-lived tokens alive: when a refresh is due, when only a new login helps, and
// TokenKeeper's one refresh for many threads, counted at the look-alike.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/lifecycle.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>

#include "sample_app.hpp"
#include "stub_transport.hpp"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using namespace std::chrono_literals;
using testing::Failure;
using testing::failure_of;
using testing::InstagramMock;
using Clock = std::chrono::system_clock;

namespace {

// A long-lived token received at `received`, valid for 60 days.
AccessToken long_lived_at(Clock::time_point received) {
  AccessToken token;
  token.access_token = "IGQWR-long-lived";
  token.token_type = "bearer";
  token.expires_in = std::chrono::seconds(60 * 24 * 3600);
  token.received_at = received;
  token.expires_at = received + *token.expires_in;
  return token;
}

}  // namespace

TEST_CASE(
    "refresh_due: not before 24 hours and the clock margin, within 7 days of expiry, never "
    "once expired",
    "[lifecycle]") {
  const Clock::time_point received = Clock::now();
  const AccessToken token = long_lived_at(received);
  CHECK_FALSE(refresh_due(token, received + 23h + 59min));
  CHECK_FALSE(refresh_due(token, received + 24h));  // old enough, but far from expiry
  // 24 hours by our clock may be less by Instagram's: not before the 10-minute margin.
  CHECK_FALSE(refresh_due(token, received + 24h + 599s, RefreshPolicy{24h, 60 * 24h}));
  CHECK(refresh_due(token, received + 24h + 600s, RefreshPolicy{24h, 60 * 24h}));
  CHECK_FALSE(refresh_due(token, received + 53 * 24h - 1s));
  CHECK(refresh_due(token, received + 53 * 24h));
  CHECK(refresh_due(token, received + 59 * 24h + 23h));
  CHECK_FALSE(refresh_due(token, received + 60 * 24h));  // expired: only a new login helps
  AccessToken short_lived;
  short_lived.access_token = "IGQVJ-short";
  short_lived.received_at = received;
  CHECK_FALSE(refresh_due(short_lived, received + 100 * 24h));
}

TEST_CASE("needs_reauthorization: code 190 and its subcodes, nothing else", "[lifecycle]") {
  const auto graph_error = [](int code, int subcode) {
    ErrorDetails details;
    details.category = ErrorCategory::api;
    details.code = code;
    details.error_subcode = subcode;
    details.error_message = "x";
    return OAuthException(details);
  };
  CHECK(needs_reauthorization(graph_error(190, 0)));
  for (const int subcode : {458, 459, 460, 463, 464, 467, 492}) {
    CHECK(needs_reauthorization(graph_error(102, subcode)));
  }
  CHECK_FALSE(needs_reauthorization(graph_error(100, 0)));
  CHECK_FALSE(needs_reauthorization(graph_error(4, 2207051)));
  CHECK_FALSE(needs_reauthorization(OAuthException(ErrorCategory::transport, "reset")));
}

TEST_CASE("TokenKeeper: 16 threads, one refresh at the look-alike, the new token for all",
          "[lifecycle][concurrency]") {
  InstagramMock mock;
  auto exchanger = TokenExchanger::create_shared(mock.app_config(), mock.client_options()).value();
  const AccessToken short_lived = exchanger->exchange(mock.issue_code()).value();
  AccessToken long_lived = exchanger->exchange_for_long_lived(short_lived.access_token).value();
  // 55 days later at both ends: the look-alike's clock and the keeper's.
  mock.advance_clock(55 * 24h);
  const Clock::time_point later = *long_lived.received_at + 55 * 24h;
  std::atomic<int> persisted{0};
  std::string persisted_token;
  TokenKeeper keeper(
      exchanger, long_lived, {},
      [&](const AccessToken& fresh) {
        ++persisted;
        persisted_token = fresh.access_token;
      },
      [later] { return later; });
  std::vector<std::thread> threads;
  std::vector<std::string> got(16);
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      const Result<AccessToken> token = keeper.get();
      if (token) got[t] = token->access_token;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mock.refreshes() == 1);
  CHECK(persisted == 1);
  for (const std::string& token : got) CHECK(token == persisted_token);
  CHECK(persisted_token != long_lived.access_token);
  CHECK(persisted_token.rfind("IGQWR", 0) == 0);
  // Refreshed just now (by the keeper's clock): not due again.
  CHECK(keeper.get().value().access_token == persisted_token);
  CHECK(mock.refreshes() == 1);
}

TEST_CASE("TokenKeeper: young tokens are left alone, expired ones fail without a request",
          "[lifecycle]") {
  InstagramMock mock;
  auto exchanger = TokenExchanger::create_shared(mock.app_config(), mock.client_options()).value();
  const Clock::time_point received = Clock::now();
  TokenKeeper young(exchanger, long_lived_at(received), {}, {}, [&] { return received + 23h; });
  CHECK(young.get().value().access_token == "IGQWR-long-lived");
  TokenKeeper expired(exchanger, long_lived_at(received), {}, {},
                      [&] { return received + 61 * 24h; });
  const Result<AccessToken> dead = expired.get();
  CHECK(failure_of(dead) ==
        Failure{ErrorCategory::api,
                "the long-lived token expired before it was refreshed; only a new login helps"});
  CHECK(needs_reauthorization(dead.error()));
  CHECK(mock.requests() == 0);
}

TEST_CASE("TokenKeeper: a refresh answered 190/463 needs a new login", "[lifecycle]") {
  InstagramMock mock;
  auto exchanger = TokenExchanger::create_shared(mock.app_config(), mock.client_options()).value();
  const Clock::time_point received = Clock::now();
  mock.fail_with_api_error("Error validating access token: Session has expired", 190, 463);
  int persisted = 0;
  TokenKeeper keeper(
      exchanger, long_lived_at(received), {}, [&](const AccessToken&) { ++persisted; },
      [&] { return received + 55 * 24h; });
  const Result<AccessToken> refreshed = keeper.get();
  REQUIRE_FALSE(refreshed);
  CHECK(needs_reauthorization(refreshed.error()));
  CHECK(refreshed.error().error_subcode() == 463);
  CHECK(persisted == 0);
  // Remembered: a dead token is not asked about again, however often get() is called.
  CHECK(mock.refreshes() == 1);
  mock.set_fault(testing::Fault::none);
  for (int i = 0; i < 100; ++i) CHECK(keeper.get().error().error_subcode() == 463);
  CHECK(mock.refreshes() == 1);
}

namespace {

// A refresh answer as graph.instagram.com gives it, with or without expires_in.
HttpResponse refreshed_answer(bool with_expires_in) {
  return testing::json_answer(
      200, with_expires_in
               ? R"({"access_token":"IGQWR-refreshed","token_type":"bearer","expires_in":5183944})"
               : R"({"access_token":"IGQWR-refreshed","token_type":"bearer"})");
}

}  // namespace

TEST_CASE("TokenKeeper: during an outage it asks again after retry_after, doubling",
          "[lifecycle]") {
  auto transport = std::make_shared<testing::StubTransport>(
      OAuthException(ErrorCategory::transport, "Couldn't connect to server"));
  auto exchanger = TokenExchanger::create_shared(testing::sample_app(), transport).value();
  const Clock::time_point received = Clock::now();
  Clock::time_point now = received + 55 * 24h;
  int persisted = 0;
  TokenKeeper keeper(
      exchanger, long_lived_at(received), RefreshPolicy{24h, 7 * 24h, 60s, 240s},
      [&](const AccessToken&) { ++persisted; }, [&] { return now; });
  // 1,000 calls during the outage: one request, the still-valid token each time.
  for (int i = 0; i < 1000; ++i) CHECK(keeper.get().value().access_token == "IGQWR-long-lived");
  CHECK(transport->requests.size() == 1);
  // Then after 60 s, 120 s, 240 s, 240 s (the cap): one request each.
  for (const auto wait : {60s, 120s, 240s, 240s}) {
    now += wait - 1s;
    CHECK(keeper.get().has_value());
    const std::size_t before = transport->requests.size();
    now += 1s;
    CHECK(keeper.get().has_value());
    CHECK(transport->requests.size() == before + 1);
  }
  // The outage ends: the next try refreshes, and failures count from the start again.
  transport->failure.reset();
  transport->answer = refreshed_answer(true);
  now += 240s;
  CHECK(keeper.get().value().access_token == "IGQWR-refreshed");
  CHECK(persisted == 1);
}

TEST_CASE("TokenKeeper: a refresh answer without expires_in is refused, the old token kept",
          "[lifecycle]") {
  // Accepted, such a token would never be due again and would be handed out once dead.
  auto transport = std::make_shared<testing::StubTransport>(refreshed_answer(false));
  auto exchanger = TokenExchanger::create_shared(testing::sample_app(), transport).value();
  const Clock::time_point received = Clock::now();
  Clock::time_point now = received + 55 * 24h;
  int persisted = 0;
  TokenKeeper keeper(
      exchanger, long_lived_at(received), {}, [&](const AccessToken&) { ++persisted; },
      [&] { return now; });
  CHECK(keeper.get().value().access_token == "IGQWR-long-lived");
  CHECK(persisted == 0);
  CHECK(transport->requests.size() == 1);
  // A failure like any other: asked again after retry_after, and taken once it is whole.
  transport->answer = refreshed_answer(true);
  now += 60s;
  const AccessToken refreshed = keeper.get().value();
  CHECK(refreshed.access_token == "IGQWR-refreshed");
  CHECK(refreshed.expires_at == now + 5183944s);
  CHECK(persisted == 1);
}
