// Waiting, in a test, for what another thread or process will do: polled every 10 ms up to a
// minute, as a guard against a hang, never as a measurement. The caller then asserts.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace instagram::oauth::testing {

inline void wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 6000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace instagram::oauth::testing
