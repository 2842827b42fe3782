// Cancellation (cancellation.hpp) through the curl transport: what never left completes
// `cancelled` and is never sent, what left completes as it ends, each callback exactly once.
#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "catch.hpp"
#include "failure.hpp"
#include "wait.hpp"

#include "latency_server.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::LatencyServer;
using testing::LatencyServerOptions;
using testing::wait_until;

namespace {

const Failure cancelled_unsent{ErrorCategory::cancelled,
                               "the request was cancelled before it was sent"};

// One connection: a second request waits for the first's answer before it can leave.
ClientOptions one_connection() {
  ClientOptions options;
  options.allow_plain_http = true;
  options.max_connections = 1;
  return options;
}

// A callback's results, each kept with how many times it came.
struct Outcome {
  std::promise<Result<AccessToken>> result;
  std::atomic<int> calls{0};
  TokenExchanger::Callback callback() {
    return [this](Result<AccessToken> token) {
      if (calls.fetch_add(1) == 0) result.set_value(std::move(token));
    };
  }
  Result<AccessToken> get() {
    std::future<Result<AccessToken>> future = result.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    return future.get();
  }
};

}  // namespace

TEST_CASE("Cancellation wakes what watches it once, at once when already cancelled",
          "[cancellation]") {
  Cancellation cancellation;
  int woken = 0;
  const std::uint64_t first = cancellation.on_cancel([&] { ++woken; });
  const std::uint64_t forgotten = cancellation.on_cancel([&] { woken += 100; });
  cancellation.forget(forgotten);
  CHECK(!cancellation.cancelled());
  cancellation.cancel();
  cancellation.cancel();
  CHECK(cancellation.cancelled());
  CHECK(woken == 1);
  cancellation.forget(first);  // after it ran: nothing
  cancellation.on_cancel([&] { woken += 10; });
  CHECK(woken == 11);
  cancellation.on_cancel([] { throw std::runtime_error("dropped"); });  // never escapes
}

TEST_CASE("a request cancelled while it waits for a connection completes cancelled, unsent",
          "[cancellation][http][async]") {
  LatencyServerOptions server_options;
  // Long enough that the held request is still held when it is cancelled, however slowly a
  // busy machine gets from the first request's arrival to the cancel.
  server_options.latency = std::chrono::seconds(2);
  LatencyServer server(server_options);
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), one_connection()).value();
  Outcome first;
  exchanger.exchange_async("AQB-first", first.callback());
  wait_until([&] { return server.requests() == 1; });
  Outcome waiting;
  auto cancellation = std::make_shared<Cancellation>();
  exchanger.exchange_async("AQB-waiting", waiting.callback(), cancellation);
  cancellation->cancel();
  CHECK(failure_of(waiting.get()) == cancelled_unsent);
  const Result<AccessToken> answered = first.get();
  REQUIRE(answered);
  CHECK(answered->access_token == "IGQVJAQB-first");
  // The connection is free again, and the cancelled code never reached the server.
  CHECK(exchanger.exchange("AQB-after").value().access_token == "IGQVJAQB-after");
  CHECK(server.times_seen("AQB-waiting") == 0);
  CHECK(waiting.calls == 1);
  CHECK(first.calls == 1);
  const TransportStats stats = exchanger.transport()->stats().value();
  CHECK(stats.in_flight == 0);
  CHECK(stats.waiting == 0);
}

TEST_CASE("a request cancelled before it is handed over is never sent",
          "[cancellation][http][async]") {
  LatencyServer server;
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), one_connection()).value();
  auto cancellation = std::make_shared<Cancellation>();
  cancellation->cancel();
  Outcome outcome;
  exchanger.exchange_async("AQB-never", outcome.callback(), cancellation);
  CHECK(failure_of(outcome.get()) == cancelled_unsent);
  CHECK(server.times_seen("AQB-never") == 0);
  // The same for the graph calls.
  Outcome refresh;
  exchanger.refresh_async("IGQWR-never", refresh.callback(), cancellation);
  CHECK(failure_of(refresh.get()) == cancelled_unsent);
  CHECK(server.times_seen("IGQWR-never") == 0);
  CHECK(server.requests() == 0);
}

TEST_CASE("a request already sent completes as it ends: a cancellation cannot unsend it",
          "[cancellation][http][async]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(200);
  LatencyServer server(server_options);
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), one_connection()).value();
  auto cancellation = std::make_shared<Cancellation>();
  Outcome outcome;
  exchanger.exchange_async("AQB-sent", outcome.callback(), cancellation);
  wait_until([&] { return server.requests() == 1; });
  cancellation->cancel();
  const Result<AccessToken> token = outcome.get();
  REQUIRE(token);
  CHECK(token->access_token == "IGQVJAQB-sent");
  CHECK(outcome.calls == 1);
  // And after the answer, a cancellation changes nothing.
  cancellation->cancel();
  CHECK(outcome.calls == 1);
}

TEST_CASE("cancellations racing the engine: each callback once, nothing cancelled was sent",
          "[cancellation][http][async]") {
  // Many rounds of requests cancelled at random moments from another thread, while they
  // wait, while their connection is set up, as they go out and after they are answered. A
  // request that completed `cancelled` must never have reached the server; each callback
  // runs exactly once. Which requests end which way depends on timing and is not asserted.
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(2);
  LatencyServer server(server_options);
  ClientOptions options;
  options.allow_plain_http = true;
  options.max_connections = 4;
  const TokenExchanger exchanger = TokenExchanger::create(server.app_config(), options).value();
  std::mt19937 random(20261205);
  constexpr int rounds = 20;
  constexpr int per_round = 50;
  std::size_t cancelled_total = 0;
  std::size_t answered_total = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::shared_ptr<Cancellation>> cancellations;
    std::vector<std::unique_ptr<Outcome>> outcomes;
    for (int i = 0; i < per_round; ++i) {
      cancellations.push_back(std::make_shared<Cancellation>());
      outcomes.push_back(std::make_unique<Outcome>());
    }
    std::vector<int> order(per_round);
    for (int i = 0; i < per_round; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    // From at once to a few round trips in: some rounds cancel before anything leaves, some
    // while the answers arrive.
    std::thread canceller([&, delay = round % 5] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      for (const int i : order) {
        cancellations[i]->cancel();
        if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
    });
    for (int i = 0; i < per_round; ++i) {
      exchanger.exchange_async("AQB-r" + std::to_string(round) + "-" + std::to_string(i),
                               outcomes[i]->callback(), cancellations[i]);
    }
    canceller.join();
    for (int i = 0; i < per_round; ++i) {
      const std::string code = "AQB-r" + std::to_string(round) + "-" + std::to_string(i);
      const Result<AccessToken> result = outcomes[i]->get();
      if (result) {
        CHECK(result->access_token == "IGQVJ" + code);
        ++answered_total;
      } else {
        INFO(code);
        REQUIRE(failure_of(result) == cancelled_unsent);
        CHECK(server.times_seen(code) == 0);
        ++cancelled_total;
      }
    }
    wait_until([&] { return exchanger.transport()->stats()->in_flight == 0; });
    for (const auto& outcome : outcomes) CHECK(outcome->calls == 1);
  }
  CHECK(cancelled_total + answered_total == rounds * per_round);
  const TransportStats stats = exchanger.transport()->stats().value();
  CHECK(stats.in_flight == 0);
  CHECK(stats.waiting == 0);
}
