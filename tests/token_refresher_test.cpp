// token_refresher.hpp: TokenRefresher's passes and fresh() over a store in memory against the
// look-alike, which counts each refresh; the faults a fleet meets (a deletion or a new login
// while a refresh is out, an outage, a slow Instagram, callbacks that throw).
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_refresher.hpp>
#include <instagram/oauth/token_store.hpp>

#include "store_contract.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using namespace std::chrono_literals;
using testing::Failure;
using testing::failure_of;
using testing::InstagramMock;
using Clock = std::chrono::system_clock;

namespace {

// The look-alike, an exchanger on it, and a store in memory holding `count` long-lived tokens
// issued now; the store's clock and the look-alike's then move 55 days on, so every one is due.
struct DueTokens {
  explicit DueTokens(int count, const testing::MockOptions& options = {},
                     const ClientOptions& client = {})
      : mock(options),
        exchanger(TokenExchanger::create_shared(mock.app_config(), client_options(client)).value()),
        old(testing::save_issued(mock, *store, count, Clock::now())) {
    advance(55 * 24h);
  }
  ClientOptions client_options(ClientOptions client) const {
    const ClientOptions mocked = mock.client_options();
    client.allow_plain_http = mocked.allow_plain_http;
    client.ca_file = mocked.ca_file;
    return client;
  }
  void advance(std::chrono::seconds by) {
    *offset += by.count();
    mock.advance_clock(by);
  }
  Clock::time_point now() const { return store->now(); }
  static std::string user(int i) { return std::to_string(17841400000000000LL + i); }
  StoredToken stored(int i) const { return store->load(user(i)).value().value(); }

  InstagramMock mock;
  std::shared_ptr<std::atomic<long long>> offset = std::make_shared<std::atomic<long long>>(0);
  std::shared_ptr<MemoryTokenStore> store = std::make_shared<MemoryTokenStore>(
      [offset = offset] { return Clock::now() + std::chrono::seconds(offset->load()); });
  std::shared_ptr<const TokenExchanger> exchanger;
  std::vector<std::string> old;  // the tokens as issued, user 17841400000000000 first
};

// The events a refresher reports, kept for the test (on_event runs on the pass's thread, or
// fresh()'s callers').
struct Events {
  RefresherOptions options(RefresherOptions base = {}) {
    base.on_event = [this](const RefreshEvent& event) {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(event);
    };
    return base;
  }
  std::vector<RefreshEvent> of(RefreshEvent::Kind kind) {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<RefreshEvent> matching;
    for (const RefreshEvent& event : seen) {
      if (event.kind == kind) matching.push_back(event);
    }
    return matching;
  }
  std::mutex mutex;
  std::vector<RefreshEvent> seen;
};

RefresherOptions in_flight(std::size_t room) {
  RefresherOptions options;
  options.max_in_flight = room;
  return options;
}

// Waits until the look-alike has received `count` requests (they are out: held by its latency,
// which it serves before counting a refresh).
void wait_for_requests(const InstagramMock& mock, std::size_t count) {
  for (int i = 0; i < 3000 && mock.requests() < count; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(mock.requests() >= count);
}

}  // namespace

TEST_CASE("a pass refreshes every due token once, dated by the store's clock, and leaves the rest",
          "[token_store][refresher]") {
  DueTokens due(50);
  REQUIRE(due.store->save(testing::stored_token("17841499999999999", due.now() - 24h)).has_value());
  Events events;
  const TokenRefresher refresher(due.exchanger, due.store, events.options(in_flight(8)));
  // The progress seen along the way: counts that only grow, the last one the pass's.
  std::vector<std::size_t> progress;
  const Clock::time_point before = due.now();
  const RefreshReport report =
      refresher.run_once([&](const RefreshReport& so_far) { progress.push_back(so_far.refreshed); })
          .value();
  const Clock::time_point after = due.now();
  REQUIRE(!progress.empty());
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 50);
  CHECK(report.refreshed == 50);
  CHECK(report.failed + report.recovered + report.reauthorization_needed + report.unreadable +
            report.superseded ==
        0);
  CHECK(due.mock.refreshes() == 50);
  CHECK(events.of(RefreshEvent::Kind::refreshed).size() == 50);
  std::set<std::string> fresh;
  for (int i = 0; i < 50; ++i) {
    const StoredToken stored = due.stored(i);
    REQUIRE(stored.token.received_at.has_value());
    CHECK(*stored.token.received_at >= before);
    CHECK(*stored.token.received_at <= after);
    CHECK(stored.token.expires_at == *stored.token.received_at + *stored.token.expires_in);
    CHECK(stored.token.access_token != due.old[static_cast<std::size_t>(i)]);
    CHECK(
        stored.token.permissions ==
        std::vector<std::string>{"instagram_business_basic", "instagram_business_content_publish"});
    fresh.insert(stored.token.access_token);
  }
  CHECK(fresh.size() == 50);
  // Refreshed now: nothing is due in the next pass, an hour on.
  due.advance(1h);
  const RefreshReport again = refresher.run_once().value();
  CHECK(again.refreshed + again.failed == 0);
  CHECK(due.mock.refreshes() == 50);
}

TEST_CASE(
    "a failure is kept with the token and retried after a back-off that doubles, then it "
    "recovers",
    "[token_store][refresher]") {
  DueTokens due(3);
  Events events;
  const TokenRefresher refresher(due.exchanger, due.store, events.options());
  due.mock.set_fault(testing::Fault::html_502);
  const Clock::time_point first_try = due.now();
  const RefreshReport outage = refresher.run_once().value();
  CHECK(outage.failed == 3);
  CHECK(outage.refreshed == 0);
  const std::vector<RefreshEvent> failed = events.of(RefreshEvent::Kind::failed);
  REQUIRE(failed.size() == 3);
  CHECK(failed[0].attempts == 1);
  REQUIRE(failed[0].error.has_value());
  CHECK(failed[0].error->category() == ErrorCategory::invalid_response);
  REQUIRE(failed[0].next_attempt.has_value());
  CHECK(*failed[0].next_attempt >= first_try + 60s);
  const StoredToken kept = due.stored(0);
  REQUIRE(kept.failure.has_value());
  CHECK(kept.failure->attempts == 1);
  CHECK(kept.failure->category == ErrorCategory::invalid_response);
  const auto user_0 = std::find_if(failed.begin(), failed.end(), [](const RefreshEvent& event) {
    return event.user_id == DueTokens::user(0);
  });
  REQUIRE(user_0 != failed.end());
  CHECK(kept.failure->next_attempt == *user_0->next_attempt);
  CHECK(kept.token.access_token == due.old[0]);  // still the valid token it was

  // Before the next attempt nothing is asked; at it, the second failure waits twice as long.
  due.advance(30s);
  CHECK(refresher.run_once().value().failed == 0);
  CHECK(due.mock.refreshes() == 3);
  due.advance(31s);
  const Clock::time_point second_try = due.now();
  CHECK(refresher.run_once().value().failed == 3);
  const Clock::time_point second_done = due.now();
  const StoredToken twice = due.stored(0);
  REQUIRE(twice.failure.has_value());
  CHECK(twice.failure->attempts == 2);
  CHECK(twice.failure->next_attempt >= second_try + 120s);
  CHECK(twice.failure->next_attempt <= second_done + 120s);

  // The outage ends: the next attempt refreshes, as a recovery.
  due.mock.set_fault(testing::Fault::none);
  due.advance(121s);
  const RefreshReport recovered = refresher.run_once().value();
  CHECK(recovered.recovered == 3);
  CHECK(recovered.failed == 0);
  CHECK(events.of(RefreshEvent::Kind::recovered).size() == 3);
  CHECK_FALSE(due.stored(0).failure.has_value());
}

TEST_CASE("back-off never lets a token die: near expiry the wait shortens",
          "[token_store][refresher]") {
  RefreshPolicy policy;  // 60 s doubling to an hour
  const Clock::time_point now = Clock::now();
  CHECK(next_refresh_attempt(policy, 1, now, now + 30 * 24h) == now + 60s);
  CHECK(next_refresh_attempt(policy, 3, now, now + 30 * 24h) == now + 240s);
  CHECK(next_refresh_attempt(policy, 40, now, now + 30 * 24h) == now + 3600s);
  // An hour left: no later than a quarter of it.
  CHECK(next_refresh_attempt(policy, 40, now, now + 1h) == now + 15min);
  CHECK(next_refresh_attempt(policy, 40, now, std::nullopt) == now + 3600s);
}

TEST_CASE("a dead token is saved so, reported, and never asked about again",
          "[token_store][refresher]") {
  DueTokens due(3);
  Events events;
  const TokenRefresher refresher(due.exchanger, due.store, events.options());
  due.mock.fail_with_api_error("Error validating access token: Session has expired", 190, 463);
  const RefreshReport dead = refresher.run_once().value();
  CHECK(dead.reauthorization_needed == 3);
  const std::vector<RefreshEvent> told = events.of(RefreshEvent::Kind::reauthorization_needed);
  REQUIRE(told.size() == 3);
  REQUIRE(told[0].error.has_value());
  CHECK(needs_reauthorization(*told[0].error));
  const StoredToken stored = due.stored(0);
  REQUIRE(stored.reauthorization_needed.has_value());
  CHECK(*stored.reauthorization_needed == "Error validating access token: Session has expired");
  const std::size_t asked = due.mock.refreshes();
  due.advance(1h);
  const RefreshReport later = refresher.run_once().value();
  CHECK(later.refreshed + later.reauthorization_needed + later.failed == 0);
  CHECK(due.mock.refreshes() == asked);
}

TEST_CASE("Meta's data deletion while a refresh is out: the token stays deleted",
          "[token_store][refresher][faults]") {
  DueTokens due(4);
  Events events;
  const TokenRefresher refresher(due.exchanger, due.store, events.options());
  due.mock.set_latency(1500ms);
  const std::size_t before = due.mock.requests();
  std::future<Result<RefreshReport>> pass =
      std::async(std::launch::async, [&] { return refresher.run_once(); });
  wait_for_requests(due.mock, before + 4);
  REQUIRE(due.store->remove(DueTokens::user(0)).value());
  const RefreshReport report = pass.get().value();
  CHECK(report.superseded == 1);
  CHECK(report.refreshed == 3);
  CHECK_FALSE(due.store->load(DueTokens::user(0)).value().has_value());
  const std::vector<RefreshEvent> superseded = events.of(RefreshEvent::Kind::superseded);
  REQUIRE(superseded.size() == 1);
  CHECK(superseded[0].user_id == DueTokens::user(0));
}

TEST_CASE(
    "a new login while an old refresh is out keeps the new token, even when the old one "
    "was revoked",
    "[token_store][refresher][faults]") {
  DueTokens due(2);
  const TokenRefresher refresher(due.exchanger, due.store);
  due.mock.set_latency(1500ms);
  // The old tokens were revoked: the refreshes out answer 190.
  due.mock.fail_with_api_error(
      "Error validating access token: The user has not authorized application.", 190, 458);
  const std::size_t before = due.mock.requests();
  std::future<Result<RefreshReport>> pass =
      std::async(std::launch::async, [&] { return refresher.run_once(); });
  wait_for_requests(due.mock, before + 2);
  const StoredToken new_login = testing::stored_token(
      DueTokens::user(1), testing::whole_seconds(due.now()), "IGQWR-new-login");
  REQUIRE(due.store->save(new_login).has_value());
  const RefreshReport report = pass.get().value();
  CHECK(report.reauthorization_needed == 1);  // user 0, whose token did die
  CHECK(report.superseded == 1);
  const StoredToken kept = due.stored(1);
  CHECK(kept.token.access_token == "IGQWR-new-login");
  CHECK_FALSE(kept.reauthorization_needed.has_value());
}

TEST_CASE("two refreshers on one store refresh each token exactly once",
          "[token_store][refresher]") {
  testing::MockOptions options;
  options.threads = 64;  // cpp-httplib holds a thread per keep-alive connection: one for each
  DueTokens due(100, options);
  const TokenRefresher first(due.exchanger, due.store, in_flight(10));
  const TokenRefresher second(due.exchanger, due.store, in_flight(10));
  std::future<Result<RefreshReport>> other =
      std::async(std::launch::async, [&] { return first.run_once(); });
  const RefreshReport b = second.run_once().value();
  const RefreshReport a = other.get().value();
  CHECK(a.refreshed + b.refreshed == 100);
  CHECK(a.failed + b.failed + a.superseded + b.superseded == 0);
  CHECK(due.mock.refreshes() == 100);
}

TEST_CASE("a slow Instagram fails nothing: the pass never queues more than the transport sends",
          "[token_store][refresher][faults]") {
  // A finding: 200 at once over 64 HTTP/1.1 connections, Instagram answering in 2 s and a 5 s
  // limit, failed 5,703 of 10,000: the time queued counted against the limit. Scaled down: 4
  // connections, answers in 600 ms, a 3 s limit, 40 tokens (10 rounds of answers).
  testing::MockOptions options;
  options.threads = 16;
  ClientOptions client;
  client.max_connections = 4;
  client.total_timeout = 3000ms;
  DueTokens due(40, options, client);
  due.mock.set_latency(600ms);
  const RefreshReport report =
      TokenRefresher(due.exchanger, due.store, in_flight(200)).run_once().value();
  CHECK(report.failed == 0);
  CHECK(report.refreshed == 40);
  CHECK(due.mock.refreshes() == 40);
}

TEST_CASE("fresh(): the stored token, refreshed first when due, once however many ask",
          "[token_store][refresher]") {
  DueTokens due(2);
  Events events;
  const TokenRefresher refresher(due.exchanger, due.store, events.options());

  SECTION("not due: the stored token, nothing asked") {
    REQUIRE(
        due.store->save(testing::stored_token("17841499999999999", due.now() - 2h)).has_value());
    CHECK(refresher.fresh("17841499999999999").value().token.access_token ==
          "IGQWR-stored-0123456789");
    CHECK(due.mock.refreshes() == 0);
  }
  SECTION("due: twenty callers at once share one refresh") {
    due.mock.set_latency(300ms);
    std::vector<std::future<Result<StoredToken>>> callers;
    for (int i = 0; i < 20; ++i) {
      callers.push_back(
          std::async(std::launch::async, [&] { return refresher.fresh(DueTokens::user(0)); }));
    }
    std::set<std::string> seen;
    for (auto& caller : callers) seen.insert(caller.get().value().token.access_token);
    CHECK(due.mock.refreshes() == 1);
    REQUIRE(seen.size() == 1);
    CHECK(*seen.begin() != due.old[0]);
    CHECK(due.stored(0).token.access_token == *seen.begin());
    CHECK(events.of(RefreshEvent::Kind::refreshed).size() == 1);
  }
  SECTION("leased by another instance: the stored token, which is still valid") {
    REQUIRE(due.store->lease_user(DueTokens::user(0), 300s).value().has_value());
    CHECK(refresher.fresh(DueTokens::user(0)).value().token.access_token == due.old[0]);
    CHECK(due.mock.refreshes() == 0);
  }
  SECTION("a passing failure: the stored token, the failure kept") {
    due.mock.set_fault(testing::Fault::html_502);
    const StoredToken kept = refresher.fresh(DueTokens::user(0)).value();
    CHECK(kept.token.access_token == due.old[0]);
    REQUIRE(kept.failure.has_value());
    CHECK(kept.failure->attempts == 1);
    CHECK(events.of(RefreshEvent::Kind::failed).size() == 1);
  }
  SECTION("dead, expired or absent: an error that says so") {
    due.mock.fail_with_api_error("Error validating access token: Session has expired", 190, 463);
    const Result<StoredToken> dead = refresher.fresh(DueTokens::user(0));
    REQUIRE_FALSE(dead);
    CHECK(needs_reauthorization(dead.error()));
    CHECK(failure_of(refresher.fresh(DueTokens::user(0))) ==
          Failure{ErrorCategory::api,
                  "the stored token needs a new login: Error validating access token: Session "
                  "has expired"});
    due.advance(6 * 24h);  // past the 60 days
    CHECK(failure_of(refresher.fresh(DueTokens::user(1))) ==
          Failure{ErrorCategory::api,
                  "the long-lived token expired before it was refreshed; only a new login helps"});
    CHECK(
        failure_of(refresher.fresh("17841499999999999")) ==
        Failure{ErrorCategory::invalid_argument, "no token is stored for user 17841499999999999"});
    CHECK(failure_of(refresher.fresh("me")) ==
          Failure{ErrorCategory::invalid_argument,
                  "the user id must be decimal digits (Instagram's ids)"});
  }
}

TEST_CASE("a refresher without an exchanger or a store, or with no room, is refused",
          "[token_store][refresher]") {
  auto store = std::make_shared<MemoryTokenStore>();
  CHECK(failure_of(TokenRefresher(nullptr, store).run_once()) ==
        Failure{ErrorCategory::invalid_argument, "TokenRefresher needs an exchanger and a store"});
  CHECK(failure_of(TokenRefresher(nullptr, store).fresh("17841405793187218")) ==
        Failure{ErrorCategory::invalid_argument, "TokenRefresher needs an exchanger and a store"});
  InstagramMock mock;
  auto exchanger = TokenExchanger::create_shared(mock.app_config(), mock.client_options()).value();
  CHECK(failure_of(TokenRefresher(exchanger, store, in_flight(0)).run_once()) ==
        Failure{ErrorCategory::invalid_argument,
                "TokenRefresher's max_in_flight and lease must be positive"});
}

TEST_CASE("a pass with room for 1, 2 or 3 at once refreshes every due token",
          "[token_store][refresher]") {
  // A finding: a quarter of 1 to 3 is none, so the pass asked to lease 0 and stopped after
  // its first batch ("limit and lease must be positive").
  for (const std::size_t room : {1, 2, 3}) {
    INFO(room);
    DueTokens due(12);
    const RefreshReport pass =
        TokenRefresher(due.exchanger, due.store, in_flight(room)).run_once().value();
    CHECK(pass.refreshed == 12);
    CHECK(pass.failed == 0);
    CHECK_FALSE(pass.stopped_by.has_value());
    CHECK(due.mock.refreshes() == 12);
  }
}

TEST_CASE(
    "a progress or event callback that throws: what is in flight is written, then it is "
    "thrown",
    "[token_store][refresher]") {
  // A finding: the pass kept the state its engine-thread callbacks write on its own stack, so
  // a progress callback that threw left refreshes in flight writing into freed memory (ASan
  // and TSan run this).
  for (const bool from_event : {false, true}) {
    INFO(from_event);
    DueTokens due(40);
    RefresherOptions options = in_flight(8);
    int calls = 0;
    const auto throwing = [&] {
      ++calls;
      throw std::runtime_error("callback failed");
    };
    if (from_event) options.on_event = [&](const RefreshEvent&) { throwing(); };
    const TokenRefresher refresher(due.exchanger, due.store, options);
    if (from_event) {
      CHECK_THROWS_WITH(refresher.run_once(), "callback failed");
    } else {
      CHECK_THROWS_WITH(refresher.run_once([&](const RefreshReport&) { throwing(); }),
                        "callback failed");
    }
    CHECK(calls >= 1);
    // Every refresh Instagram answered was written: the stored tokens that changed are exactly
    // the refreshes the look-alike counted, and nothing more was leased after the throw.
    std::size_t changed = 0;
    for (int i = 0; i < 40; ++i) {
      if (due.stored(i).token.access_token != due.old[static_cast<std::size_t>(i)]) ++changed;
    }
    CHECK(changed == due.mock.refreshes());
    CHECK(due.mock.refreshes() <= 8);
  }
}

// A store whose batched write answers `broken` instead of writing (the rest: `inner`'s).
class LosingStore final : public TokenStore {
 public:
  LosingStore(std::shared_ptr<TokenStore> inner, Result<std::vector<bool>> broken)
      : inner_(std::move(inner)), broken_(std::move(broken)) {}
  Clock::time_point now() override { return inner_->now(); }
  Result<void> save(const StoredToken& token) override { return inner_->save(token); }
  Result<std::optional<StoredToken>> load(std::string_view user_id) override {
    return inner_->load(user_id);
  }
  Result<bool> remove(std::string_view user_id) override { return inner_->remove(user_id); }
  Result<LeaseBatch> lease_due(const RefreshPolicy& policy, std::size_t limit,
                               std::chrono::seconds lease) override {
    return inner_->lease_due(policy, limit, lease);
  }
  Result<std::optional<Lease>> lease_user(std::string_view user_id,
                                          std::chrono::seconds lease) override {
    return inner_->lease_user(user_id, lease);
  }
  Result<bool> finish_lease(const Lease& lease, const StoredToken& result) override {
    return inner_->finish_lease(lease, result);
  }
  Result<std::vector<bool>> finish_leases(const std::vector<FinishedLease>&) override {
    return broken_;
  }

 private:
  std::shared_ptr<TokenStore> inner_;
  Result<std::vector<bool>> broken_;
};

TEST_CASE(
    "answers the store could not write are reported failed, and their tokens offered again "
    "once the lease runs out",
    "[token_store][refresher]") {
  const OAuthException lost(ErrorCategory::transport, "PostgreSQL: server closed the connection");
  const OAuthException miscounted(ErrorCategory::system,
                                  "the store's finish_leases answered for a different count");
  for (const Result<std::vector<bool>>& broken :
       {Result<std::vector<bool>>(lost), Result<std::vector<bool>>(std::vector<bool>{})}) {
    DueTokens due(6);
    Events events;
    RefresherOptions options = events.options(in_flight(6));
    options.lease = 60s;
    const auto losing = std::make_shared<LosingStore>(due.store, broken);
    const RefreshReport report = TokenRefresher(due.exchanger, losing, options).run_once().value();
    CHECK(report.failed == 6);
    CHECK(report.refreshed == 0);
    const std::vector<RefreshEvent> failed = events.of(RefreshEvent::Kind::failed);
    REQUIRE(failed.size() == 6);
    const OAuthException& expected = broken ? miscounted : lost;
    CHECK(failure_of(Result<void>(*failed[0].error)) ==
          Failure{expected.category(), expected.error_message()});
    for (int i = 0; i < 6; ++i) CHECK(due.stored(i).token.access_token == due.old[i]);
    // Nothing written, no failure kept: the tokens are leased again once the lease ends.
    due.advance(61s);
    const RefreshReport again = TokenRefresher(due.exchanger, due.store).run_once().value();
    CHECK(again.refreshed == 6);
  }
}

TEST_CASE("a pass refreshes a token once even when its policy makes the new one due at once",
          "[token_store][refresher]") {
  // A finding of the shell trial: with a minimum age of 0 a refreshed token is due again at
  // once, and the pass sent it a second time (Instagram refused it as too young).
  DueTokens due(8);
  RefresherOptions options = in_flight(3);
  options.policy.min_age = std::chrono::hours(0);
  options.policy.clock_margin = std::chrono::seconds(0);
  options.policy.refresh_before = std::chrono::hours(60 * 24);
  const RefreshReport report = TokenRefresher(due.exchanger, due.store, options).run_once().value();
  CHECK(report.refreshed == 8);
  CHECK(report.failed == 0);
  CHECK(due.mock.refreshes() == 8);
}

TEST_CASE("Meta's usage near its limit: the pass keeps fewer out, one at 99 %",
          "[token_store][refresher][meta_usage]") {
  DueTokens due(12);
  MetaUsage near;
  near.call_count = 60;
  near.total_time = 99;
  due.mock.set_meta_usage(near);
  // The usage is known before the pass (an earlier call's answer carried it).
  REQUIRE(due.exchanger->refresh(due.old[11]).has_value());
  REQUIRE(due.exchanger->meta_usage()->highest() == 99);
  std::size_t most_out = 0;
  RefresherOptions options = in_flight(20);
  options.on_event = [&](const RefreshEvent&) {
    // On the pass's thread, after the answer was written: what is still out.
    most_out = std::max(most_out, due.exchanger->transport()->stats()->in_flight);
  };
  const RefreshReport report = TokenRefresher(due.exchanger, due.store, options).run_once().value();
  CHECK(report.refreshed == 12);
  // One out at a time (the engine may not yet have counted the answered one off); 3 or more
  // without the slow-down.
  CHECK(most_out <= 1);
}

TEST_CASE(
    "Meta throttles the app: the throttled tokens are kept as they were, and a wait longer "
    "than allowed stops the pass with nothing lost",
    "[token_store][refresher][meta_usage]") {
  DueTokens due(10);
  due.mock.throttle(std::chrono::minutes(30), 2);
  Events events;
  RefresherOptions options = events.options(in_flight(2));
  const RefreshReport stopped =
      TokenRefresher(due.exchanger, due.store, options).run_once().value();
  REQUIRE(stopped.stopped_by.has_value());
  CHECK(failure_of(Result<void>(*stopped.stopped_by)) ==
        Failure{ErrorCategory::api,
                "Meta throttles the app for about 30 minutes (estimated_time_to_regain_access); "
                "the rest is left for a later pass"});
  CHECK(stopped.refreshed == 0);
  const std::vector<RefreshEvent> failed = events.of(RefreshEvent::Kind::failed);
  REQUIRE(failed.size() == 2);
  CHECK(failed[0].error->code() == 4);
  CHECK(failed[0].error->meta_usage()->regain_access == std::chrono::minutes(30));
  CHECK(failed[0].attempts == 0);
  // The throttled tokens were written back as they were: no failure, not leased, still due.
  for (int i = 0; i < 10; ++i) {
    CHECK(due.stored(i).token.access_token == due.old[static_cast<std::size_t>(i)]);
    CHECK_FALSE(due.stored(i).failure.has_value());
  }
  CHECK(due.store->lease_due({}, 100, 300s).value().leased.size() == 10);
  // Another instance, whose answers say nothing of a throttle, refreshes them all once the
  // leases just taken run out.
  due.advance(301s);
  const auto other =
      TokenExchanger::create_shared(due.mock.app_config(), due.client_options(ClientOptions{}))
          .value();
  CHECK(TokenRefresher(other, due.store).run_once().value().refreshed == 10);
}

TEST_CASE("run_every: passes on a schedule until stopped, each report to on_pass",
          "[token_store][refresher]") {
  DueTokens due(5);
  const TokenRefresher refresher(due.exchanger, due.store);
  std::mutex mutex;
  std::condition_variable reported;
  std::vector<Result<RefreshReport>> passes;
  RefreshSchedule schedule = refresher.run_every(1s, [&](const Result<RefreshReport>& pass) {
    std::lock_guard<std::mutex> lock(mutex);
    passes.push_back(pass);
    reported.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(reported.wait_for(lock, 60s, [&] { return passes.size() >= 2; }));
  }
  schedule.stop();
  const std::size_t seen = [&] {
    std::lock_guard<std::mutex> lock(mutex);
    return passes.size();
  }();
  // The first pass refreshed every due token; the next ones found nothing due.
  REQUIRE(passes[0].has_value());
  CHECK(passes[0]->refreshed == 5);
  REQUIRE(passes[1].has_value());
  CHECK(passes[1]->refreshed == 0);
  CHECK(due.mock.refreshes() == 5);
  // Stopped: no pass after stop() returned.
  std::this_thread::sleep_for(1500ms);
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(passes.size() == seen);
}

TEST_CASE("run_every: a pass that throws reaches on_pass as an error, and the schedule goes on",
          "[token_store][refresher]") {
  DueTokens due(1);
  RefresherOptions options;
  options.on_event = [](const RefreshEvent&) { throw std::runtime_error("event sink down"); };
  std::mutex mutex;
  std::condition_variable reported;
  std::vector<Result<RefreshReport>> passes;
  {
    const RefreshSchedule schedule = TokenRefresher(due.exchanger, due.store, options)
                                         .run_every(1s, [&](const Result<RefreshReport>& pass) {
                                           std::lock_guard<std::mutex> lock(mutex);
                                           passes.push_back(pass);
                                           reported.notify_all();
                                           throw std::runtime_error("on_pass throws too");
                                         });
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(reported.wait_for(lock, 60s, [&] { return passes.size() >= 2; }));
  }  // destroyed: stopped, a pass in progress finished first
  CHECK(testing::failure_of(passes[0]) ==
        Failure{ErrorCategory::system, "the pass threw: event sink down"});
  // The refresh itself was written before the event's throw; nothing is due after it.
  REQUIRE(passes[1].has_value());
  CHECK(passes[1]->refreshed == 0);
  CHECK(due.mock.refreshes() == 1);
  // No interval: one error, nothing scheduled.
  std::vector<Result<RefreshReport>> refused;
  RefreshSchedule none =
      TokenRefresher(due.exchanger, due.store)
          .run_every(0s, [&](const Result<RefreshReport>& pass) { refused.push_back(pass); });
  none.stop();
  REQUIRE(refused.size() == 1);
  CHECK(testing::failure_of(refused[0]) ==
        Failure{ErrorCategory::invalid_argument, "run_every's interval must be positive"});
}
