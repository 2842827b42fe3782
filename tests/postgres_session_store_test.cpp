// postgres/session_store.hpp against a real PostgreSQL: the session contract, ids kept only as
// their SHA-256, and a session created on one instance seen by another.
#include "catch.hpp"
#include "skip.hpp"

#include <instagram/oauth/postgres/session_store.hpp>

#include "postgres_server.hpp"
#include "session_contract.hpp"

#include <chrono>
#include <string>

using namespace instagram::oauth;
using namespace std::chrono_literals;

TEST_CASE("PostgresSessionStore keeps the SessionStore contract, ids kept as SHA-256 only",
          "[postgres][session_store]") {
  if (!testing::PostgresServer::installed()) {
    testing::skip_test("PostgreSQL is not installed (scripts/setup-deps.sh test installs it)");
    return;
  }
  const testing::PostgresServer server;
  const auto sessions = PostgresSessionStore::open(server.conninfo()).value();
  testing::check_session_contract(*sessions);

  // Another instance sees the session; a dump of the database does not show its id.
  const Session session = sessions->create("17841405793187218", 3600s).value();
  const auto other = PostgresSessionStore::open(server.conninfo()).value();
  CHECK(other->load(session.id).value()->user_id == "17841405793187218");
  const std::string dump = server.dump();
  CHECK(dump.find("instagram_oauth_sessions") != std::string::npos);
  CHECK(dump.find(session.id) == std::string::npos);
}
