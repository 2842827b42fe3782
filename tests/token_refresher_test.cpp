// token_refresher.hpp: TokenRefresher's passes over a store in memory against the look-alike,
// which counts each refresh.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_refresher.hpp>
#include <instagram/oauth/token_store.hpp>

#include "store_contract.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using namespace std::chrono_literals;
using testing::InstagramMock;
using Clock = std::chrono::system_clock;

namespace {

// The look-alike, an exchanger on it, and a store in memory holding `count` long-lived tokens
// issued 55 days ago: every one due at `now`, to which the look-alike's clock has moved.
struct DueTokens {
  explicit DueTokens(int count, const testing::MockOptions& options = {})
      : mock(options), old(testing::save_issued(mock, *store, count, received)) {
    mock.advance_clock(55 * 24h);
  }
  InstagramMock mock;
  std::shared_ptr<TokenExchanger> exchanger =
      std::make_shared<TokenExchanger>(mock.app_config(), mock.client_options());
  std::shared_ptr<MemoryTokenStore> store = std::make_shared<MemoryTokenStore>();
  Clock::time_point received = Clock::now();
  std::vector<std::string> old;  // the tokens as issued, user 17841400000000000 first
  Clock::time_point now = received + 55 * 24h;
};

}  // namespace

TEST_CASE("a pass refreshes every due token once, saves it dated, and leaves the rest",
          "[token_store][refresher]") {
  DueTokens due(50);
  auto& [mock, exchanger, store, received, old, now] = due;
  REQUIRE(store->save(testing::stored_token("17841499999999999", received + 54 * 24h)).has_value());
  const TokenRefresher refresher(exchanger, store, {}, 8);
  // The progress seen along the way: counts that only grow, the last one the pass's.
  std::vector<std::size_t> progress;
  const RefreshReport report =
      refresher
          .run_once(now, [&](const RefreshReport& so_far) { progress.push_back(so_far.refreshed); })
          .value();
  REQUIRE(!progress.empty());
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 50);
  CHECK(report.refreshed == 50);
  CHECK(report.reauthorization_needed == 0);
  CHECK(report.failed == 0);
  CHECK(mock.refreshes() == 50);
  std::set<std::string> fresh;
  for (int i = 0; i < 50; ++i) {
    const StoredToken stored = store->load(std::to_string(17841400000000000LL + i)).value().value();
    CHECK(stored.token.received_at == now);
    CHECK(stored.token.expires_at == now + *stored.token.expires_in);
    CHECK(stored.token.access_token != old[static_cast<std::size_t>(i)]);
    fresh.insert(stored.token.access_token);
  }
  CHECK(fresh.size() == 50);
  // Refreshed now: nothing is due in the next pass.
  const RefreshReport again = refresher.run_once(now + 1h).value();
  CHECK(again.refreshed + again.reauthorization_needed + again.failed == 0);
  CHECK(mock.refreshes() == 50);
}

TEST_CASE("a dead token is saved so and never asked about again; a failure is retried later",
          "[token_store][refresher]") {
  DueTokens due(3);
  auto& [mock, exchanger, store, received, old, now] = due;
  const TokenRefresher refresher(exchanger, store);

  mock.set_fault(testing::Fault::html_502);
  const RefreshReport outage = refresher.run_once(now).value();
  CHECK(outage.failed == 3);
  CHECK(outage.refreshed == 0);
  // Still leased: the next pass within the lease does not ask again.
  CHECK(refresher.run_once(now + 1min).value().failed == 0);

  mock.fail_with_api_error("Error validating access token: Session has expired", 190, 463);
  const RefreshReport dead = refresher.run_once(now + 5min).value();
  CHECK(dead.reauthorization_needed == 3);
  const StoredToken stored = store->load("17841400000000000").value().value();
  REQUIRE(stored.reauthorization_needed.has_value());
  CHECK(*stored.reauthorization_needed == "Error validating access token: Session has expired");
  const std::size_t asked = mock.refreshes();
  const RefreshReport later = refresher.run_once(now + 1h).value();
  CHECK(later.refreshed + later.reauthorization_needed + later.failed == 0);
  CHECK(mock.refreshes() == asked);
}

TEST_CASE("two refreshers on one store refresh each token exactly once",
          "[token_store][refresher]") {
  testing::MockOptions options;
  options.threads = 64;  // cpp-httplib holds a thread per keep-alive connection: one for each
  DueTokens due(100, options);
  auto& [mock, exchanger, store, received, old, now] = due;
  const TokenRefresher first(exchanger, store, {}, 10);
  const TokenRefresher second(exchanger, store, {}, 10);
  RefreshReport a;
  RefreshReport b;
  // due.now: a lambda may not capture a structured binding in C++17 (GCC allows it, clang not).
  std::thread other([&] { a = first.run_once(due.now).value(); });
  b = second.run_once(now).value();
  other.join();
  CHECK(a.refreshed + b.refreshed == 100);
  CHECK(a.failed + b.failed == 0);
  CHECK(mock.refreshes() == 100);
}

TEST_CASE("a refresher without an exchanger or a store, or with no room, is refused",
          "[token_store][refresher]") {
  auto store = std::make_shared<MemoryTokenStore>();
  CHECK(testing::failure_of(TokenRefresher(nullptr, store).run_once(Clock::now())) ==
        testing::Failure{ErrorCategory::invalid_argument,
                         "TokenRefresher needs an exchanger and a store"});
  InstagramMock mock;
  auto exchanger = std::make_shared<TokenExchanger>(mock.app_config(), mock.client_options());
  CHECK(testing::failure_of(TokenRefresher(exchanger, store, {}, 0).run_once(Clock::now())) ==
        testing::Failure{ErrorCategory::invalid_argument,
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
        TokenRefresher(due.exchanger, due.store, {}, room).run_once(due.now).value();
    CHECK(pass.refreshed == 12);
    CHECK(pass.failed == 0);
    CHECK_FALSE(pass.stopped_by.has_value());
    CHECK(due.mock.refreshes() == 12);
  }
}

TEST_CASE("a progress callback that throws: what is in flight is saved, then it is thrown",
          "[token_store][refresher]") {
  // A finding: the pass kept the state its engine-thread callbacks write on its own stack, so
  // a progress callback that threw left refreshes in flight writing into freed memory (ASan
  // and TSan run this).
  DueTokens due(40);
  auto& [mock, exchanger, store, received, old, now] = due;
  const TokenRefresher refresher(exchanger, store, {}, 8);
  int calls = 0;
  CHECK_THROWS_WITH(refresher.run_once(now,
                                       [&](const RefreshReport&) {
                                         ++calls;
                                         throw std::runtime_error("progress failed");
                                       }),
                    "progress failed");
  CHECK(calls >= 1);
  // Every refresh Instagram answered was saved: the stored tokens that changed are exactly
  // the refreshes the look-alike counted, and nothing more was leased after the throw.
  std::size_t changed = 0;
  for (std::size_t i = 0; i < old.size(); ++i) {
    const StoredToken stored =
        store->load(std::to_string(17841400000000000LL + static_cast<long long>(i)))
            .value()
            .value();
    if (stored.token.access_token != old[i]) ++changed;
  }
  CHECK(changed == mock.refreshes());
  CHECK(mock.refreshes() <= 8);
}
