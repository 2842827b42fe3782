// The engine driven by an event loop (event_loop.hpp), here one that is not Asio
// (tests/support/poll_loop.hpp): callbacks on the loop, blocking calls there refused, what a
// shut-down finds completed once, cancellation before sending.
#include <instagram/oauth/event_loop.hpp>

#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "catch.hpp"
#include "failure.hpp"
#include "poll_loop.hpp"
#include "wait.hpp"

#include "latency_server.hpp"

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::InstagramMock;
using testing::LatencyServer;
using testing::LatencyServerOptions;
using testing::PollLoop;
using testing::wait_until;

namespace {

ClientOptions one_plain_connection() {
  ClientOptions options;
  options.allow_plain_http = true;
  options.max_connections = 1;
  return options;
}

}  // namespace

TEST_CASE("a transport driven by a loop calls back on the loop, and refuses to block it",
          "[event_loop]") {
  InstagramMock instagram;
  const auto loop = std::make_shared<PollLoop>();
  {
    const auto transport = make_curl_transport(instagram.client_options(), loop);
    const TokenExchanger exchanger =
        TokenExchanger::create(instagram.app_config(), transport).value();
    // From another thread, a blocking call is served.
    const Result<AccessToken> token = exchanger.exchange(instagram.issue_code());
    REQUIRE(token);
    CHECK(token->user_id == "17841405793187218");
    // The callback runs on the loop; a blocking call made there is refused at once.
    std::promise<bool> on_loop;
    std::promise<Result<AccessToken>> blocked;
    const std::string code = instagram.issue_code();
    exchanger.exchange_async(instagram.issue_code(), [&](Result<AccessToken> again) {
      on_loop.set_value(again.has_value() && loop->runs_here());
      blocked.set_value(exchanger.exchange(code));
    });
    CHECK(on_loop.get_future().get());
    CHECK(failure_of(blocked.get_future().get()) ==
          Failure{ErrorCategory::invalid_argument,
                  "send() on the event loop that drives the transport would wait for itself; "
                  "use send_async()"});
    CHECK(transport->stats()->completed == 2);
  }
  loop->finish();
  CHECK(instagram.requests() == 2);
}

TEST_CASE("a driven transport's shut-down ends each request once; a cancelled one never leaves",
          "[event_loop][cancellation]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::seconds(2);
  LatencyServer server(server_options);
  const auto loop = std::make_shared<PollLoop>();
  std::atomic<int> calls{0};
  std::promise<Result<AccessToken>> sent;
  std::promise<Result<AccessToken>> cancelled;
  std::promise<Result<AccessToken>> held;
  {
    const auto transport = make_curl_transport(one_plain_connection(), loop);
    const TokenExchanger exchanger = TokenExchanger::create(server.app_config(), transport).value();
    const auto settle = [&calls](std::promise<Result<AccessToken>>& promise) {
      return [&calls, &promise](Result<AccessToken> result) {
        ++calls;
        promise.set_value(std::move(result));
      };
    };
    const auto cancellation = std::make_shared<Cancellation>();
    exchanger.exchange_async("AQB-sent", settle(sent));
    exchanger.exchange_async("AQB-withdrawn", settle(cancelled), cancellation);
    exchanger.exchange_async("AQB-held", settle(held));
    wait_until([&] { return server.requests() == 1; });
    // The first is at the server; the other two wait for the only connection.
    cancellation->cancel();
    CHECK(failure_of(cancelled.get_future().get()) ==
          Failure{ErrorCategory::cancelled, "the request was cancelled before it was sent"});
  }  // destroyed off the loop: the loop ends the rest
  loop->finish();
  CHECK(failure_of(sent.get_future().get()) ==
        Failure{ErrorCategory::transport,
                "the transport shut down after the request was sent and before an answer; it "
                "may have reached the server (an authorization code may have been used: start "
                "a new login)"});
  CHECK(failure_of(held.get_future().get()) ==
        Failure{ErrorCategory::cancelled, "the transport shut down before the request was sent"});
  CHECK(calls == 3);
  CHECK(server.times_seen("AQB-withdrawn") == 0);
  CHECK(server.times_seen("AQB-held") == 0);
}
