// The library's async API driven as a service drives it: `in_flight` exchanges kept going
// from the callbacks, on the engine thread; for both network benchmarks.
#pragma once

#include <instagram/oauth/token_exchanger.hpp>

#include "nginx.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

namespace bench {

struct AsyncRun {
  int succeeded = 0;
  double seconds = 0;
};

// `total` asynchronous calls, `in_flight` at a time: start(i, ended) begins call i, and
// its callback calls ended(succeeded) once. Returns when every one ended.
inline AsyncRun keep_in_flight(int total, int in_flight,
                               const std::function<void(int, std::function<void(bool)>)>& start) {
  std::mutex mutex;
  std::condition_variable finished;
  int done = 0;
  std::atomic<int> started{0};
  std::atomic<int> succeeded{0};
  std::function<void()> start_one = [&] {
    const int i = started++;
    if (i >= total) return;
    start(i, [&](bool success) {
      if (success) ++succeeded;
      start_one();
      std::lock_guard<std::mutex> lock(mutex);
      if (++done == total) finished.notify_all();
    });
  };
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < in_flight; ++i) start_one();
  std::unique_lock<std::mutex> lock(mutex);
  finished.wait(lock, [&] { return done == total; });
  return {succeeded.load(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()};
}

// `total` exchanges of `code_for(i)`, `in_flight` at a time; succeeded: answered with
// nginx's token.
inline AsyncRun keep_in_flight(const instagram::oauth::TokenExchanger& exchanger, int total,
                               int in_flight, const std::function<std::string(int)>& code_for) {
  using namespace instagram::oauth;
  return keep_in_flight(total, in_flight, [&](int i, std::function<void(bool)> ended) {
    exchanger.exchange_async(code_for(i), [ended = std::move(ended)](Result<AccessToken> token) {
      ended(token && token->access_token == testing::nginx_access_token);
    });
  });
}

}  // namespace bench
