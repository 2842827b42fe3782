// The fleet's refresh pass at scale: due tokens in PostgreSQL, two refresher processes
// at once (TokenRefresher::run_once over PostgresTokenStore), the look-alike answering each
// refresh after a delay; beside it, in the same run, the engine's bare refresh rate (two
// processes keeping the same number of refresh_async calls in flight, no store). Checks that
// every token was refreshed exactly once and that nothing is left due.
//   fleet_bench [TOKENS=100000] [IN_FLIGHT=200] [LATENCY_MS=100]
// Finding what is due in a large table: ROWS rows, 1 % of them due, leased 200 at a time until
// none is left, with the store's index and without it.
//   fleet_bench --find-due [ROWS=1000000]
#include <instagram/oauth/postgres/token_store.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include "child_process.hpp"
#include "keep_in_flight.hpp"
#include "latency_server.hpp"
#include "postgres_server.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using Clock = std::chrono::system_clock;

namespace {

const std::string token_key = "fleet-bench-token-key-0123456789abcdefghij";

std::string user_id(int i) {
  return std::to_string(17841400000000000LL + i);
}
std::string token_of(int i) {
  return "IGQWfleet" + std::to_string(i);
}

// Token `i`, 60 days long, received at `received`, saved (a bench that cannot save stops).
void save_due(PostgresTokenStore& store, int i, Clock::time_point received) {
  AccessToken token;
  token.access_token = token_of(i);
  token.expires_in = std::chrono::seconds(5184000);
  token.received_at = received;
  token.expires_at = received + *token.expires_in;
  if (!store.save(StoredToken{user_id(i), token, {}, {}})) std::abort();
}

// What a child reports through its pipe: how many, in how long, at what cost.
struct ChildReport {
  long done = 0;
  double seconds = 0;
  bench::Usage usage;
};

// Runs `work` in two children at once; each returns how many it did.
std::vector<ChildReport> in_two_children(const std::function<long(int child)>& work) {
  std::vector<std::pair<pid_t, int>> children;
  std::fflush(stdout);
  for (int child = 0; child < 2; ++child) {
    int fds[2];
    if (pipe(fds) != 0) std::abort();
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const auto begin = std::chrono::steady_clock::now();
      ChildReport report;
      report.done = work(child);
      report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      report.usage = bench::usage_so_far();
      if (write(fds[1], &report, sizeof report) != static_cast<ssize_t>(sizeof report)) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    children.emplace_back(pid, fds[0]);
  }
  std::vector<ChildReport> reports;
  for (const auto& [pid, fd] : children) {
    ChildReport report;
    if (read(fd, &report, sizeof report) != static_cast<ssize_t>(sizeof report)) report.done = -1;
    close(fd);
    waitpid(pid, nullptr, 0);
    reports.push_back(report);
  }
  return reports;
}

double rate(const std::vector<ChildReport>& reports) {
  long done = 0;
  double seconds = 0;
  for (const ChildReport& report : reports) {
    done += report.done;
    seconds = std::max(seconds, report.seconds);
  }
  return static_cast<double>(done) / seconds;
}

ClientOptions options_for(int in_flight) {
  ClientOptions options;
  options.allow_plain_http = true;
  options.max_in_flight = static_cast<std::size_t>(in_flight) * 2;
  options.max_connections = static_cast<std::size_t>(in_flight);
  return options;
}

// Fills `rows` rows, 1 % due, and times the leases that take every due one, 200 at a time.
int find_due(int rows) {
  testing::PostgresServer database;
  const auto store = PostgresTokenStore::open(database.conninfo(), {token_key}, 4).value();
  const int due = rows / 100;
  const auto filled_at = std::chrono::steady_clock::now();
  // The rows that are not due, in one statement (never unsealed: their bytes are not a token).
  database.sql(
      "INSERT INTO instagram_oauth_tokens (user_id, key_id, sealed, received_at, expires_at, "
      "fence) "
      "SELECT (18000000000000000 + g)::text, 'none', '\\x00'::bytea, "
      "(extract(epoch FROM now()) * 1000000)::bigint - 86400000000::bigint * (g % 50), "
      "(extract(epoch FROM now()) * 1000000)::bigint + 86400000000::bigint * (60 - g % 50), 0 "
      "FROM generate_series(1, " +
      std::to_string(rows - due) + ") AS g; ANALYZE instagram_oauth_tokens;");
  const auto received = store->now() - std::chrono::hours(24 * 55);
  for (int i = 0; i < due; ++i) {
    save_due(*store, i, received);
  }
  std::printf("%d rows (%d due) in %.1f s\n", rows, due,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - filled_at).count());
  const auto lease_all = [&](const char* name) {
    const bench::Usage before = bench::usage_so_far();
    const auto begin = std::chrono::steady_clock::now();
    std::size_t leased = 0;
    int calls = 0;
    for (;;) {
      const LeaseBatch batch = store->lease_due({}, 200, std::chrono::seconds(300)).value();
      ++calls;
      if (batch.leased.empty()) break;
      leased += batch.leased.size();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::printf("| %s | %zu | %d | %.1f ms | %.2f s | %.2f s |\n", name, leased, calls,
                seconds * 1000 / calls, seconds,
                bench::usage_so_far().cpu_seconds - before.cpu_seconds);
    return leased;
  };
  std::printf(
      "\n| leasing every due row, 200 at a time | leased | leases | per lease | total | client "
      "CPU |\n|---|---:|---:|---:|---:|---:|\n");
  const std::size_t indexed = lease_all("with instagram_oauth_tokens_due_2");
  database.sql(
      "UPDATE instagram_oauth_tokens SET leased_until = NULL WHERE leased_until IS NOT NULL;"
      "DROP INDEX instagram_oauth_tokens_due_2; ANALYZE instagram_oauth_tokens;");
  const std::size_t scanned = lease_all("without it (a full scan each lease)");
  return indexed == static_cast<std::size_t>(due) && scanned == indexed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--find-due") {
    return find_due(argc > 2 ? std::atoi(argv[2]) : 1000000);
  }
  const int tokens = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 200;
  const std::chrono::milliseconds latency(argc > 3 ? std::atoi(argv[3]) : 100);
  if (tokens < 2 || in_flight < 1 || latency.count() < 0) {
    std::fprintf(stderr, "usage: fleet_bench [TOKENS] [IN_FLIGHT] [LATENCY_MS]\n");
    return 2;
  }
  testing::PostgresServer database;
  testing::LatencyServerOptions server_options;
  server_options.latency = latency;
  testing::LatencyServer server(server_options);
  AppConfig app{"990602627938098", "fleet-bench-secret", "https://example.com/auth/",
                server.endpoints()};

  // The due tokens: received 55 days ago, so every one is due now.
  const auto filled_at = std::chrono::steady_clock::now();
  {
    const auto store = PostgresTokenStore::open(database.conninfo(), {token_key}, 4).value();
    const auto received = Clock::now() - std::chrono::hours(24 * 55);
    std::vector<std::thread> fillers;
    for (int part = 0; part < 4; ++part) {
      fillers.emplace_back([&, part] {
        for (int i = part; i < tokens; i += 4) {
          save_due(*store, i, received);
        }
      });
    }
    for (std::thread& filler : fillers) filler.join();
  }
  std::printf("%d due tokens saved in %.1f s (4 threads)\n", tokens,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - filled_at).count());

  // The engine alone: refresh_async kept `in_flight` deep, in two processes, no store.
  const int bare_each = std::max(1, tokens / 5);  // a steady rate needs no more
  const std::vector<ChildReport> bare = in_two_children([&](int child) -> long {
    const TokenExchanger exchanger = TokenExchanger::create(app, options_for(in_flight)).value();
    return bench::keep_in_flight(bare_each, in_flight,
                                 [&](int i, std::function<void(bool)> ended) {
                                   exchanger.refresh_async(
                                       "IGQWbare" + std::to_string(child) + "-" + std::to_string(i),
                                       [ended = std::move(ended)](Result<AccessToken> token) {
                                         ended(token.has_value());
                                       });
                                 })
        .succeeded;
  });

  // The fleet: two refresher processes, one pass each, over the same table.
  const std::vector<ChildReport> fleet = in_two_children([&](int) -> long {
    auto store = PostgresTokenStore::open(database.conninfo(), {token_key}).value();
    // Events on, as a service has them: each one counted.
    long events = 0;
    RefresherOptions options;
    options.max_in_flight = static_cast<std::size_t>(in_flight);
    options.on_event = [&events](const RefreshEvent&) { ++events; };
    const TokenRefresher refresher(std::make_shared<TokenExchanger>(app, options_for(in_flight)),
                                   store, options);
    const RefreshReport report = refresher.run_once().value();
    const bool whole = report.failed == 0 && report.superseded == 0 && !report.stopped_by &&
                       events == static_cast<long>(report.refreshed);
    return whole ? static_cast<long>(report.refreshed) : -1;
  });

  // Exactly once, and nothing left due.
  int not_once = 0;
  for (int i = 0; i < tokens; ++i) not_once += server.times_seen(token_of(i)) == 1 ? 0 : 1;
  const auto store = PostgresTokenStore::open(database.conninfo(), {token_key}).value();
  const std::size_t left = store->overview({}).value().due;

  std::printf(
      "\n| %d in flight per process, answers after %lld ms | tokens/s | process 1 | "
      "process 2 |\n|---|---:|---|---|\n",
      in_flight, static_cast<long long>(latency.count()));
  const auto row = [](const char* name, const std::vector<ChildReport>& reports) {
    std::printf("| %s | %.0f |", name, rate(reports));
    for (const ChildReport& report : reports) {
      std::printf(" %ld in %.1f s, CPU %.1f s, peak RSS %.0f MB |", report.done, report.seconds,
                  report.usage.cpu_seconds, report.usage.peak_rss_mb);
    }
    std::printf("\n");
  };
  row("engine alone (refresh_async)", bare);
  row("TokenRefresher over PostgreSQL", fleet);
  std::printf("\nfleet / engine alone: %.2fx; refreshed exactly once: %d of %d; left due: %zu\n",
              rate(fleet) / rate(bare), tokens - not_once, tokens, left);
  return not_once == 0 && left == 0 && fleet[0].done >= 0 && fleet[1].done >= 0 ? 0 : 1;
}
