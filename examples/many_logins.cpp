// Many sign-ins at once from one thread: 1,000 code exchanges against the Instagram
// look-alike (<instagram/oauth/testing/instagram_mock.hpp>) answering each after 50 ms, 200
// in flight, through the callback API. The callbacks run on the transport's engine thread;
// this thread only starts them and waits.
//   many_logins [EXCHANGES] [IN_FLIGHT]
#include <instagram/oauth.hpp>

#include <instagram/oauth/testing/instagram_mock.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

using namespace instagram::oauth;

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 200;
  if (total <= 0 || in_flight <= 0) {
    std::cerr << "usage: many_logins [N] [IN_FLIGHT]\n";
    return 2;
  }

  testing::MockOptions look_alike;
  look_alike.latency = std::chrono::milliseconds(50);        // a real round trip
  look_alike.threads = static_cast<std::size_t>(in_flight);  // one per connection
  testing::InstagramMock instagram(look_alike);
  std::vector<std::string> codes;  // as if `total` users had just allowed the app
  for (int i = 0; i < total; ++i) codes.push_back(instagram.issue_code());

  ClientOptions options = instagram.client_options();             // plain http on 127.0.0.1
  options.max_connections = static_cast<std::size_t>(in_flight);  // HTTP/1.1: one per request
  const TokenExchanger exchanger = TokenExchanger::create(instagram.app_config(), options).value();

  std::mutex mutex;
  std::condition_variable finished;
  int done = 0;
  std::atomic<int> next{0};
  std::atomic<int> signed_in{0};
  std::function<void()> start_one = [&] {
    const int i = next++;
    if (i >= total) return;
    const std::string& code = codes[static_cast<std::size_t>(i)];
    exchanger.exchange_async(code, [&](Result<AccessToken> token) {
      if (token) {
        ++signed_in;
      } else {
        std::cerr << token.error().what() << '\n';
      }
      start_one();  // keep `in_flight` going
      std::lock_guard<std::mutex> lock(mutex);
      if (++done == total) finished.notify_one();
    });
  };
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < in_flight; ++i) start_one();
  {
    std::unique_lock<std::mutex> lock(mutex);
    finished.wait(lock, [&] { return done == total; });
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << signed_in << " of " << total << " sign-ins in " << seconds << " s ("
            << static_cast<long>(total / seconds)
            << " exchanges/s) from one thread; the look-alike "
            << "saw " << instagram.connections() << " connections\n";
  return signed_in == total ? 0 : 1;
}
