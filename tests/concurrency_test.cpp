// One TokenExchanger shared by many threads, and connection reuse, counted by the server.
#include "catch.hpp"

#include <instagram/oauth/token_exchanger.hpp>

#include "instagram_mock.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace instagram::oauth;
using testing::InstagramMock;

TEST_CASE("8 threads x 250 exchanges share one TokenExchanger and the pool's connections",
          "[concurrency]") {
  InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.max_connections = 4;
  const TokenExchanger exchanger(mock.app_config(), options);
  constexpr int threads = 8;
  constexpr int per_thread = 250;
  std::vector<std::vector<std::string>> codes(threads);
  for (auto& list : codes) {
    for (int i = 0; i < per_thread; ++i) list.push_back(mock.issue_code());
  }
  std::atomic<int> succeeded{0};
  std::atomic<int> matching_user{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (const std::string& code : codes[t]) {
        const Result<AccessToken> token = exchanger.exchange(code);
        if (token) {
          ++succeeded;
          if (token->user_id == "17841405793187218") ++matching_user;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  CHECK(succeeded == threads * per_thread);
  CHECK(matching_user == threads * per_thread);
  CHECK(mock.requests() == static_cast<std::size_t>(threads * per_thread));
  CHECK(mock.connections() >= 1);
  CHECK(mock.connections() <= 4);
}

TEST_CASE("1,000 sequential exchanges use one connection, over HTTP and HTTPS", "[concurrency]") {
  for (const bool tls : {false, true}) {
    INFO("tls=" << tls);
    testing::MockOptions mock_options;
    mock_options.tls = tls;
    InstagramMock mock(mock_options);
    const TokenExchanger exchanger(mock.app_config(), mock.client_options());
    int succeeded = 0;
    for (int i = 0; i < 1000; ++i)
      succeeded += exchanger.exchange(mock.issue_code()).has_value() ? 1 : 0;
    CHECK(succeeded == 1000);
    CHECK(mock.requests() == 1000);
    CHECK(mock.connections() == 1);  // and so one TLS handshake over HTTPS
  }
}
