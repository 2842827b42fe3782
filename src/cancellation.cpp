#include <instagram/oauth/cancellation.hpp>

#include <algorithm>

namespace instagram::oauth {

void Cancellation::cancel() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  // Under the mutex, so that forget() returns only once a wake-up that began has ended.
  for (auto& [watch, wake] : wakes_) {
    try {
      wake();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a wake-up never fails a cancellation
    }
  }
  wakes_.clear();
}

std::uint64_t Cancellation::on_cancel(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t watch = ++last_watch_;
  if (cancelled_.load(std::memory_order_acquire)) {
    try {
      wake();
    } catch (...) {  // NOLINT(bugprone-empty-catch): as in cancel()
    }
    return watch;
  }
  wakes_.emplace_back(watch, std::move(wake));
  return watch;
}

void Cancellation::forget(std::uint64_t watch) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  wakes_.erase(std::remove_if(wakes_.begin(), wakes_.end(),
                              [watch](const auto& entry) { return entry.first == watch; }),
               wakes_.end());
}

}  // namespace instagram::oauth
