// postgres/token_store.hpp against a real PostgreSQL started for each test: the store
// contract, sealing (nothing in clear, a wrong key, rotation), its errors, two processes
// refreshing the same due tokens at once, and a server restarted during a pass.
#include "catch.hpp"
#include "failure.hpp"
#include "skip.hpp"

#include <instagram/oauth/postgres/token_store.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include "postgres_server.hpp"
#include "store_contract.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using namespace std::chrono_literals;
using testing::Failure;
using testing::failure_of;
using testing::PostgresServer;
using Clock = std::chrono::system_clock;

namespace {

const std::string key_a = "key-a-0123456789abcdefghijklmnopqrstuv";
const std::string key_b = "key-b-0123456789abcdefghijklmnopqrstuv";

// Debian's postgresql is a test package: where it is missing, these tests say so and pass.
bool postgres_installed() {
  if (PostgresServer::installed()) return true;
  testing::skip_test("PostgreSQL is not installed (scripts/setup-deps.sh test installs it)");
  return false;
}

std::shared_ptr<PostgresTokenStore> open_store(const PostgresServer& server,
                                               std::vector<std::string> keys = {key_a}) {
  return PostgresTokenStore::open(server.conninfo(), std::move(keys)).value();
}

// Whole seconds, as the contract's times.
Clock::time_point whole_seconds_now() {
  return Clock::time_point(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()));
}

}  // namespace

TEST_CASE("PostgresTokenStore keeps the TokenStore contract", "[postgres]") {
  if (!postgres_installed()) return;
  const PostgresServer server;
  const auto store = open_store(server);
  testing::check_store_contract(*store);
}

TEST_CASE("tokens are sealed: pg_dump shows none in clear, a wrong key opens nothing",
          "[postgres]") {
  if (!postgres_installed()) return;
  const PostgresServer server;
  const auto store = open_store(server);
  const StoredToken token = testing::stored_token("17841405793187218", whole_seconds_now(),
                                                  "IGQWRsecretTokenNeverInClear42");
  REQUIRE(store->save(token).has_value());
  const std::string dump = server.dump();
  CHECK(dump.find("instagram_oauth_tokens") != std::string::npos);
  CHECK(dump.find("17841405793187218") != std::string::npos);  // the key is in clear
  CHECK(dump.find("IGQWR") == std::string::npos);
  CHECK(dump.find("instagram_business_basic") == std::string::npos);

  // Another key: refused as unopenable, never read as garbage.
  const auto other = open_store(server, {key_b});
  const Result<std::optional<StoredToken>> wrong = other->load("17841405793187218");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().category() == ErrorCategory::invalid_signature);
  CHECK(wrong.error().error_message().rfind("the stored token of user 17841405793187218 was sealed "
                                            "with key ",
                                            0) == 0);
  // Rotation: the new key first seals, the old one still opens what it sealed.
  const auto rotated = open_store(server, {key_b, key_a});
  CHECK(rotated->load("17841405793187218").value()->token.access_token ==
        "IGQWRsecretTokenNeverInClear42");
  REQUIRE(rotated->save(token).has_value());
  CHECK(other->load("17841405793187218").value()->token.access_token ==
        "IGQWRsecretTokenNeverInClear42");
}

TEST_CASE("open refuses what cannot serve, and never shows the conninfo's password", "[postgres]") {
  if (!postgres_installed()) return;
  const PostgresServer server;
  CHECK(failure_of(PostgresTokenStore::open(server.conninfo(), {})) ==
        Failure{ErrorCategory::invalid_argument, "no key to seal tokens with"});
  CHECK(failure_of(PostgresTokenStore::open(server.conninfo(), {"short"})) ==
        Failure{ErrorCategory::invalid_argument,
                "a token key is shorter than 32 bytes (use 32 random bytes, e.g. base64)"});
  CHECK(failure_of(
            PostgresTokenStore::open("host=127.0.0.1 password='pw-Distinct-77 oops", {key_a})) ==
        Failure{ErrorCategory::invalid_argument,
                "the PostgreSQL conninfo cannot be read (a \"postgresql://\" URI or \"key=value\" "
                "pairs)"});
  const Result<std::shared_ptr<PostgresTokenStore>> down = PostgresTokenStore::open(
      "postgresql://postgres:pw-Distinct-77@127.0.0.1:1/postgres?connect_timeout=5", {key_a});
  REQUIRE_FALSE(down);
  CHECK(down.error().category() == ErrorCategory::transport);
  CHECK(down.error().error_message().rfind("PostgreSQL: cannot connect: ", 0) == 0);
  CHECK(std::string(down.error().what()).find("pw-Distinct-77") == std::string::npos);
}

TEST_CASE("PostgreSQL restarted: a pooled connection that broke is made anew", "[postgres]") {
  if (!postgres_installed()) return;
  PostgresServer server;
  const auto store = open_store(server);
  REQUIRE(store->save(testing::stored_token("17841405793187218", whole_seconds_now())).has_value());
  server.stop();
  CHECK(failure_of(store->load("17841405793187218")).category == ErrorCategory::transport);
  server.start();
  CHECK(store->load("17841405793187218").value().has_value());
  server.stop();
  server.start();  // the idle connections broke while nothing used them
  CHECK(store->load("17841405793187218").value().has_value());
}

TEST_CASE(
    "PostgreSQL down during a pass: failures reported, nothing lost, the next pass "
    "completes",
    "[postgres][refresher]") {
  if (!postgres_installed()) return;
  PostgresServer server;
  testing::MockOptions options;
  options.threads = 64;
  testing::InstagramMock mock(options);
  const auto store = open_store(server);
  const Clock::time_point received = whole_seconds_now();
  testing::save_issued(mock, *store, 20, received);
  mock.advance_clock(55 * 24h);
  const Clock::time_point now = received + 55 * 24h;
  auto exchanger = std::make_shared<TokenExchanger>(mock.app_config(), mock.client_options());
  const TokenRefresher refresher(exchanger, store, {}, 20, 60s);
  // The look-alike holds the refreshes while the server goes down: the lease happened,
  // the saves find no server.
  mock.set_latency(1500ms);
  const std::size_t before = mock.requests();
  Result<RefreshReport> during = OAuthException(ErrorCategory::system, "not run");
  std::thread pass([&] { during = refresher.run_once(now); });
  for (int i = 0; i < 3000 && mock.requests() < before + 20; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(mock.requests() == before + 20);
  server.stop();
  pass.join();
  server.start();
  mock.set_latency(0ms);
  // Every save failed: the pass says so; nothing was saved as refreshed.
  const RefreshReport failed = during.value();
  CHECK(failed.failed == 20);
  CHECK(failed.refreshed == 0);
  REQUIRE(failed.stopped_by.has_value());  // and the next lease found no server either
  CHECK(failed.stopped_by->category() == ErrorCategory::transport);
  // Within the lease nothing is taken again; after it, the next pass completes.
  CHECK(refresher.run_once(now + 30s).value().refreshed == 0);
  const RefreshReport next = refresher.run_once(now + 61s).value();
  CHECK(next.refreshed == 20);
  CHECK(next.failed == 0);
  for (int i = 0; i < 20; ++i) {
    const StoredToken stored = store->load(std::to_string(17841400000000000LL + i)).value().value();
    CHECK(stored.token.received_at == now + 61s);
  }
}
