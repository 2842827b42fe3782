// The Asio component (asio.hpp): completion tokens (callbacks, use_future, use_awaitable,
// deferred), where handlers run (their executor, a strand, never inline or on the engine
// thread), the work guard, the diagnostics, and cancellation through the handler's slot.
#include <instagram/oauth/asio.hpp>

#include <instagram/oauth/testing/instagram_mock.hpp>

#include "catch.hpp"
#include "wait.hpp"

#include "latency_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using testing::InstagramMock;
using testing::LatencyServer;
using testing::LatencyServerOptions;
using testing::wait_until;

namespace {

ClientOptions plain_http(std::size_t max_connections = 4) {
  ClientOptions options;
  options.allow_plain_http = true;
  options.max_connections = max_connections;
  return options;
}

// What a handler saw: its error, its token, the thread it ran on and how many times.
struct Seen {
  std::atomic<int> calls{0};
  boost::system::error_code error;
  AccessToken token;
  std::thread::id thread;
};

// What a callback of the callback API saw, and how often.
struct Ended {
  int calls = 0;
  ErrorCategory category = ErrorCategory::system;
  std::string message;
  std::string access_token;
};

TokenExchanger::Callback record(Ended& ended) {
  return [&ended](Result<AccessToken> result) {
    ++ended.calls;
    if (result) {
      ended.access_token = result->access_token;
    } else {
      ended.category = result.error().category();
      ended.message = result.error().error_message();
    }
  };
}

const std::string unsent_when_shut_down = "the transport shut down before the request was sent";

// Runs `then` on the context once `ready()` holds, looking every millisecond without holding
// the context up (a driven transport needs it meanwhile).
void once(boost::asio::io_context& context, std::function<bool()> ready,
          std::function<void()> then) {
  auto timer = std::make_shared<boost::asio::steady_timer>(context, std::chrono::milliseconds(1));
  timer->async_wait([&context, timer, ready = std::move(ready),
                     then = std::move(then)](boost::system::error_code) mutable {
    if (ready()) return then();
    once(context, std::move(ready), std::move(then));
  });
}

}  // namespace

TEST_CASE("a handler runs once on its executor, whose io_context runs while the request is out",
          "[asio]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(100);
  LatencyServer server(server_options);
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), plain_http()).value();
  boost::asio::io_context context;
  Seen bound;
  async_exchange(
      exchanger, "AQB-bound",
      boost::asio::bind_executor(context, [&](boost::system::error_code error, AccessToken token) {
        ++bound.calls;
        bound.error = error;
        bound.token = std::move(token);
        bound.thread = std::this_thread::get_id();
      }));
  // Nothing else keeps the context busy: run() returns only once the work guard ended with
  // the handler, which ran here, on the thread that runs the context.
  context.run();
  CHECK(bound.calls == 1);
  CHECK(!bound.error);
  CHECK(bound.thread == std::this_thread::get_id());
  CHECK(bound.token.access_token == "IGQVJAQB-bound");
  CHECK(bound.token.user_id == "17841405793187218");

  // A plain callback has the system executor, as in Asio: it runs there, once.
  Seen plain;
  async_exchange(exchanger, "AQB-plain", [&](boost::system::error_code error, AccessToken token) {
    plain.error = error;
    plain.token = std::move(token);
    ++plain.calls;
  });
  wait_until([&] { return plain.calls == 1; });
  CHECK(plain.calls == 1);
  CHECK(!plain.error);
  CHECK(plain.token.access_token == "IGQVJAQB-plain");
}

TEST_CASE("handlers bound to a strand run in it, on threads that run the context", "[asio]") {
  LatencyServer server;
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), plain_http()).value();
  boost::asio::io_context context;
  auto strand = boost::asio::make_strand(context);
  constexpr int requests = 100;
  std::atomic<int> in_strand{0};
  std::atomic<int> calls{0};
  int unguarded = 0;  // touched only in the strand: TSan sees a race if it is not one
  for (int i = 0; i < requests; ++i) {
    async_exchange(exchanger, "AQB-s" + std::to_string(i),
                   boost::asio::bind_executor(
                       strand, [&, i](boost::system::error_code error, AccessToken token) {
                         if (strand.running_in_this_thread()) ++in_strand;
                         ++unguarded;
                         if (!error && token.access_token == "IGQVJAQB-s" + std::to_string(i)) {
                           ++calls;
                         }
                       }));
  }
  std::vector<std::thread> runners;
  for (int t = 0; t < 3; ++t) runners.emplace_back([&] { context.run(); });
  for (std::thread& runner : runners) runner.join();
  CHECK(calls == requests);
  CHECK(in_strand == requests);
  CHECK(unguarded == requests);
}

TEST_CASE("an error found before sending still completes later, never inside the call", "[asio]") {
  LatencyServer server;
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), plain_http()).value();
  boost::asio::io_context context;
  bool returned = false;
  bool returned_first = false;
  OAuthException diagnostics(ErrorCategory::system, "untouched");
  async_exchange(
      exchanger, "", diagnostics,
      boost::asio::bind_executor(context, [&](boost::system::error_code error, AccessToken token) {
        returned_first = returned;
        CHECK(error == ErrorCategory::invalid_argument);
        CHECK(error.category() == error_category());
        CHECK(error.message() == "invalid_argument");
        CHECK(token.access_token.empty());
      }));
  returned = true;
  context.run();
  CHECK(returned_first);
  CHECK(diagnostics.category() == ErrorCategory::invalid_argument);
  CHECK(server.requests() == 0);
}

TEST_CASE("use_future and deferred; Instagram's message reaches the diagnostics", "[asio]") {
  InstagramMock instagram;
  const TokenExchanger exchanger =
      TokenExchanger::create(instagram.app_config(), instagram.client_options()).value();
  const ProfileClient profiles =
      ProfileClient::create(instagram.app_config(), exchanger.transport()).value();
  boost::asio::io_context context;
  auto guard = boost::asio::make_work_guard(context);
  std::thread runner([&] { context.run(); });

  std::future<AccessToken> token =
      async_exchange(exchanger, instagram.issue_code(), boost::asio::use_future);
  const AccessToken short_lived = token.get();
  CHECK(short_lived.user_id == "17841405793187218");
  std::future<AccessToken> kept =
      async_exchange_for_long_lived(exchanger, short_lived.access_token, boost::asio::use_future);
  const AccessToken long_lived = kept.get();
  CHECK(long_lived.expires_in.has_value());
  std::future<UserProfile> me =
      async_me(profiles, long_lived.access_token, boost::asio::use_future);
  CHECK(me.get().username == "socialsizzle");

  // A code Instagram does not know: the future throws the error code; the overload with
  // diagnostics keeps what Instagram said.
  std::future<AccessToken> refused =
      async_exchange(exchanger, "AQB-unknown", boost::asio::use_future);
  try {
    refused.get();
    FAIL("a refused code completed without an error");
  } catch (const boost::system::system_error& error) {
    CHECK(error.code() == ErrorCategory::api);
  }
  OAuthException diagnostics(ErrorCategory::system, "untouched");
  std::promise<boost::system::error_code> said;
  auto deferred = async_exchange(exchanger, "AQB-unknown", diagnostics, boost::asio::deferred);
  std::move(deferred)([&](boost::system::error_code error, AccessToken) { said.set_value(error); });
  CHECK(said.get_future().get() == ErrorCategory::api);
  CHECK(diagnostics.category() == ErrorCategory::api);
  CHECK(diagnostics.error_message() == "Matching code was not found or was already used");
  CHECK(diagnostics.hint() ==
        "a code works once and for one hour; a second callback (a reload, a double submit) is "
        "the usual cause: start a new login");
  guard.reset();
  runner.join();
}

TEST_CASE("a coroutine signs a user in with co_await", "[asio][coroutine]") {
  InstagramMock instagram;
  const TokenExchanger exchanger =
      TokenExchanger::create(instagram.app_config(), instagram.client_options()).value();
  const ProfileClient profiles =
      ProfileClient::create(instagram.app_config(), exchanger.transport()).value();
  boost::asio::io_context context;
  std::string greeted;
  boost::system::error_code refused;
  std::string refused_message;
  std::thread::id ran_on;
  const std::string code = instagram.issue_code();
  boost::asio::co_spawn(
      context,
      [&]() -> boost::asio::awaitable<void> {
        const AccessToken token =
            co_await async_exchange(exchanger, code, boost::asio::use_awaitable);
        const AccessToken kept = co_await async_exchange_for_long_lived(
            exchanger, token.access_token, boost::asio::use_awaitable);
        const UserProfile profile =
            co_await async_me(profiles, kept.access_token, boost::asio::use_awaitable);
        greeted = profile.username + " " + profile.user_id;
        ran_on = std::this_thread::get_id();
        // The same code again: spent. As a tuple, without an exception.
        OAuthException diagnostics(ErrorCategory::system, "untouched");
        auto [error, nothing] = co_await async_exchange(
            exchanger, code, diagnostics, boost::asio::as_tuple(boost::asio::use_awaitable));
        refused = error;
        refused_message = diagnostics.error_message();
      },
      boost::asio::detached);
  context.run();
  CHECK(greeted == "socialsizzle 17841405793187218");
  CHECK(ran_on == std::this_thread::get_id());
  CHECK(refused == ErrorCategory::api);
  CHECK(refused_message == "Matching code was not found or was already used");
}

TEST_CASE("the handler's cancellation slot: what waits is aborted unsent, what left ends",
          "[asio][cancellation]") {
  LatencyServerOptions server_options;
  // Long enough that the held request is still held when it is cancelled, however slowly a
  // busy machine gets from the first request's arrival to the cancel.
  server_options.latency = std::chrono::seconds(2);
  LatencyServer server(server_options);
  const TokenExchanger exchanger =
      TokenExchanger::create(server.app_config(), plain_http(1)).value();
  boost::asio::io_context context;
  Seen first;
  Seen waiting;
  boost::asio::cancellation_signal first_signal;
  boost::asio::cancellation_signal waiting_signal;
  const auto record = [&context](Seen& seen, boost::asio::cancellation_signal& signal) {
    return boost::asio::bind_cancellation_slot(
        signal.slot(), boost::asio::bind_executor(
                           context, [&seen](boost::system::error_code error, AccessToken token) {
                             ++seen.calls;
                             seen.error = error;
                             seen.token = std::move(token);
                           }));
  };
  async_exchange(exchanger, "AQB-first", record(first, first_signal));
  async_exchange(exchanger, "AQB-waiting", record(waiting, waiting_signal));
  // On the context's thread, as Asio requires of a slot: once the first request is at the
  // server, both are cancelled. The first has left; the second waits for the connection.
  boost::asio::post(context, [&] {
    wait_until([&] { return server.requests() == 1; });
    waiting_signal.emit(boost::asio::cancellation_type::terminal);
    first_signal.emit(boost::asio::cancellation_type::terminal);
  });
  context.run();
  CHECK(waiting.calls == 1);
  CHECK(waiting.error == boost::asio::error::operation_aborted);
  CHECK(waiting.token.access_token.empty());
  CHECK(first.calls == 1);
  CHECK(!first.error);
  CHECK(first.token.access_token == "IGQVJAQB-first");
  CHECK(server.times_seen("AQB-waiting") == 0);
}

TEST_CASE("cancellations racing completions: each handler once, nothing aborted was sent",
          "[asio][cancellation]") {
  // Many rounds: each operation's slot is emitted on the context's thread at a random moment,
  // before it leaves, while it is out, or after it ended (then its slot is cleared and the
  // emit does nothing). Which way each ends depends on timing and is not asserted.
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(2);
  LatencyServer server(server_options);
  const TokenExchanger threaded =
      TokenExchanger::create(server.app_config(), plain_http(2)).value();
  std::mt19937 random(20261205);
  std::size_t aborted = 0;
  std::size_t answered = 0;
  for (int round = 0; round < 20; ++round) {
    boost::asio::io_context context;
    // Odd rounds: the transport driven by this round's context.
    const std::optional<TokenExchanger> driven =
        round % 2 == 0
            ? std::nullopt
            : std::optional<TokenExchanger>(
                  TokenExchanger::create(server.app_config(),
                                         make_curl_transport(context.get_executor(), plain_http(2)))
                      .value());
    const TokenExchanger& exchanger = driven ? *driven : threaded;
    constexpr int per_round = 40;
    std::vector<std::unique_ptr<Seen>> seen;
    std::vector<std::unique_ptr<boost::asio::cancellation_signal>> signals;
    for (int i = 0; i < per_round; ++i) {
      seen.push_back(std::make_unique<Seen>());
      signals.push_back(std::make_unique<boost::asio::cancellation_signal>());
      Seen& mine = *seen.back();
      async_exchange(exchanger, "AQB-r" + std::to_string(round) + "-" + std::to_string(i),
                     boost::asio::bind_cancellation_slot(
                         signals.back()->slot(),
                         boost::asio::bind_executor(
                             context, [&mine](boost::system::error_code error, AccessToken token) {
                               ++mine.calls;
                               mine.error = error;
                               mine.token = std::move(token);
                             })));
    }
    std::vector<int> order(per_round);
    for (int i = 0; i < per_round; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    for (const int i : order) {
      const auto delay = std::chrono::microseconds(random() % 3000);
      boost::asio::post(context, [&, i, delay] {
        std::this_thread::sleep_for(delay);
        signals[i]->emit(boost::asio::cancellation_type::terminal);
      });
    }
    context.run();
    for (int i = 0; i < per_round; ++i) {
      const std::string code = "AQB-r" + std::to_string(round) + "-" + std::to_string(i);
      INFO(code);
      CHECK(seen[i]->calls == 1);
      if (seen[i]->error == boost::asio::error::operation_aborted) {
        CHECK(server.times_seen(code) == 0);
        ++aborted;
      } else {
        CHECK(!seen[i]->error);
        CHECK(seen[i]->token.access_token == "IGQVJ" + code);
        ++answered;
      }
    }
  }
  CHECK(aborted + answered == 800);
}

TEST_CASE("async_fresh: the stored token refreshed when due, off the caller's thread", "[asio]") {
  InstagramMock instagram;
  const auto exchanger =
      TokenExchanger::create_shared(instagram.app_config(), instagram.client_options()).value();
  auto store = std::make_shared<MemoryTokenStore>();
  const AccessToken short_lived = exchanger->exchange(instagram.issue_code()).value();
  AccessToken long_lived = exchanger->exchange_for_long_lived(short_lived.access_token).value();
  // 59 days pass for Instagram and for the store: the token is due.
  instagram.advance_clock(std::chrono::hours(24 * 59));
  const auto now = std::chrono::system_clock::now();
  long_lived.received_at = now - std::chrono::hours(24 * 59);
  long_lived.expires_at = now + std::chrono::hours(24);
  REQUIRE(store->save({short_lived.user_id, long_lived, {}, {}}));
  const TokenRefresher refresher(exchanger, store);

  boost::asio::io_context context;
  auto guard = boost::asio::make_work_guard(context);
  std::thread runner([&] { context.run(); });
  std::future<StoredToken> fresh =
      async_fresh(refresher, short_lived.user_id, boost::asio::use_future);
  const StoredToken refreshed = fresh.get();
  CHECK(refreshed.user_id == "17841405793187218");
  CHECK(refreshed.token.access_token != long_lived.access_token);
  CHECK(store->load("17841405793187218").value()->token.access_token ==
        refreshed.token.access_token);

  // A user with no stored token: the diagnostics say so.
  OAuthException diagnostics(ErrorCategory::system, "untouched");
  std::promise<boost::system::error_code> said;
  async_fresh(refresher, "17841400000000001", diagnostics,
              boost::asio::bind_executor(
                  context, [&](boost::system::error_code error, const StoredToken& token) {
                    CHECK(token.user_id.empty());
                    said.set_value(error);
                  }));
  CHECK(said.get_future().get() == ErrorCategory::invalid_argument);
  CHECK(diagnostics.category() == ErrorCategory::invalid_argument);
  guard.reset();
  runner.join();
}

// make_curl_transport(executor): the engine driven by the io_context, no thread of its own.

TEST_CASE("a transport driven by the io_context: a coroutine signs in without another thread",
          "[asio][loop]") {
  InstagramMock instagram;
  boost::asio::io_context context;
  const auto transport = make_curl_transport(context.get_executor(), instagram.client_options());
  const TokenExchanger exchanger =
      TokenExchanger::create(instagram.app_config(), transport).value();
  const ProfileClient profiles = ProfileClient::create(instagram.app_config(), transport).value();
  std::string greeted;
  std::vector<std::thread::id> threads;
  const std::string code = instagram.issue_code();
  boost::asio::co_spawn(
      context,
      [&]() -> boost::asio::awaitable<void> {
        const AccessToken token =
            co_await async_exchange(exchanger, code, boost::asio::use_awaitable);
        threads.push_back(std::this_thread::get_id());
        const AccessToken kept = co_await async_exchange_for_long_lived(
            exchanger, token.access_token, boost::asio::use_awaitable);
        const UserProfile profile =
            co_await async_me(profiles, kept.access_token, boost::asio::use_awaitable);
        greeted = profile.username + " " + profile.user_id;
        // The callback API on the same transport: its callback runs on the context too.
        exchanger.exchange_async(instagram.issue_code(), [&](Result<AccessToken> again) {
          CHECK(again.has_value());
          threads.push_back(std::this_thread::get_id());
        });
      },
      boost::asio::detached);
  // run() returns once nothing is out: the transport holds no work of its own.
  context.run();
  CHECK(greeted == "socialsizzle 17841405793187218");
  CHECK(threads ==
        std::vector<std::thread::id>{std::this_thread::get_id(), std::this_thread::get_id()});
  CHECK(transport->stats()->in_flight == 0);
  CHECK(transport->stats()->completed == 4);
}

TEST_CASE("a driven transport refuses a blocking call on its loop, and serves one from elsewhere",
          "[asio][loop]") {
  InstagramMock instagram;
  boost::asio::io_context context;
  const auto transport = make_curl_transport(context.get_executor(), instagram.client_options());
  const TokenExchanger exchanger =
      TokenExchanger::create(instagram.app_config(), transport).value();
  const std::string code = instagram.issue_code();
  std::optional<Result<AccessToken>> on_loop;
  boost::asio::post(context, [&] { on_loop = exchanger.exchange(code); });
  context.run();
  REQUIRE(on_loop);
  REQUIRE_FALSE(*on_loop);
  CHECK(on_loop->error().category() == ErrorCategory::invalid_argument);
  CHECK(on_loop->error().error_message() ==
        "send() on the event loop that drives the transport would wait for itself; use "
        "send_async()");
  CHECK(instagram.requests() == 0);
  // From a thread that does not run the context, while another does: served.
  context.restart();
  auto guard = boost::asio::make_work_guard(context);
  std::thread runner([&] { context.run(); });
  const Result<AccessToken> elsewhere = exchanger.exchange(code);
  guard.reset();
  runner.join();
  REQUIRE(elsewhere);
  CHECK(elsewhere->user_id == "17841405793187218");
}

TEST_CASE("a driven transport: 1,000 in flight over few connections, each once, none twice",
          "[asio][loop]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(5);
  LatencyServer server(server_options);
  boost::asio::io_context context;
  const auto transport = make_curl_transport(context.get_executor(), plain_http(8));
  const TokenExchanger exchanger = TokenExchanger::create(server.app_config(), transport).value();
  constexpr int total = 1000;
  std::vector<int> calls(total, 0);
  int succeeded = 0;
  for (int i = 0; i < total; ++i) {
    async_exchange(exchanger, "AQB-many-" + std::to_string(i),
                   boost::asio::bind_executor(
                       context, [&, i](boost::system::error_code error, const AccessToken& token) {
                         ++calls[i];
                         if (!error && token.access_token == "IGQVJAQB-many-" + std::to_string(i)) {
                           ++succeeded;
                         }
                       }));
  }
  context.run();
  CHECK(succeeded == total);
  CHECK(std::count(calls.begin(), calls.end(), 1) == total);
  CHECK(server.requests() == total);
  CHECK(server.connections() <= 8);
}

TEST_CASE("a driven transport destroyed on its loop: what left is transport, what waited cancelled",
          "[asio][loop][shutdown]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::seconds(2);
  LatencyServer server(server_options);
  boost::asio::io_context context;
  auto transport = make_curl_transport(context.get_executor(), plain_http(1));
  auto exchanger = std::make_unique<TokenExchanger>(
      TokenExchanger::create(server.app_config(), transport).value());
  Ended sent;
  Ended held;
  exchanger->exchange_async("AQB-sent", record(sent));
  exchanger->exchange_async("AQB-held", record(held));
  std::thread::id destroyed_on;
  // Once the first is at the server; the second waits for the only connection.
  once(
      context, [&] { return server.requests() == 1; },
      [&] {
        exchanger.reset();
        transport.reset();
        destroyed_on = std::this_thread::get_id();
      });
  context.run();
  CHECK(destroyed_on == std::this_thread::get_id());
  CHECK(sent.calls == 1);
  CHECK(sent.category == ErrorCategory::transport);
  CHECK(sent.message ==
        "the transport shut down after the request was sent and before an answer; it may have "
        "reached the server (an authorization code may have been used: start a new login)");
  CHECK(held.calls == 1);
  CHECK(held.category == ErrorCategory::cancelled);
  CHECK(held.message == unsent_when_shut_down);
  CHECK(server.times_seen("AQB-held") == 0);
}

TEST_CASE("a driven transport destroyed off its loop: its requests end on the loop, or with it",
          "[asio][loop][shutdown]") {
  LatencyServer server;
  for (const bool run_after : {true, false}) {
    INFO("the context runs after the transport is gone: " << run_after);
    Ended first;
    Ended second;
    {
      boost::asio::io_context context;
      {
        const auto transport = make_curl_transport(context.get_executor(), plain_http());
        const TokenExchanger exchanger =
            TokenExchanger::create(server.app_config(), transport).value();
        exchanger.exchange_async("AQB-never-1", record(first));
        exchanger.exchange_async("AQB-never-2", record(second));
      }
      // Nothing ran the context: nothing left, and nothing has ended yet.
      CHECK(first.calls == 0);
      if (run_after) context.run();
    }
    // Ended when the context ran, or when it was destroyed without running: once each.
    for (const Ended* ended : {&first, &second}) {
      CHECK(ended->calls == 1);
      CHECK(ended->category == ErrorCategory::cancelled);
      CHECK(ended->message == unsent_when_shut_down);
    }
  }
  CHECK(server.requests() == 0);
}

TEST_CASE("a driven transport on a context that four threads run: each callback once",
          "[asio][loop]") {
  LatencyServerOptions server_options;
  server_options.latency = std::chrono::milliseconds(1);
  LatencyServer server(server_options);
  boost::asio::io_context context;
  const auto transport = make_curl_transport(context.get_executor(), plain_http(4));
  const TokenExchanger exchanger = TokenExchanger::create(server.app_config(), transport).value();
  constexpr int total = 400;
  std::vector<int> calls(total, 0);  // written by the transport's callbacks, one at a time
  std::atomic<int> succeeded{0};
  std::atomic<int> ended{0};
  auto guard = boost::asio::make_work_guard(context);
  // Started from the threads that run the context, as a server's handlers would.
  for (int i = 0; i < total; ++i) {
    boost::asio::post(context, [&, i] {
      exchanger.exchange_async("AQB-mt-" + std::to_string(i), [&, i](Result<AccessToken> token) {
        ++calls[i];
        if (token && token->access_token == "IGQVJAQB-mt-" + std::to_string(i)) ++succeeded;
        ++ended;
      });
    });
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { context.run(); });
  wait_until([&] { return ended == total; });
  guard.reset();
  for (std::thread& thread : threads) thread.join();
  CHECK(succeeded == total);
  CHECK(std::count(calls.begin(), calls.end(), 1) == total);
  CHECK(server.requests() == total);
}
