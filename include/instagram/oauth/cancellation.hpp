/// @file
/// A request's way out before it leaves: what an event loop's cancellation (a browser gone,
/// a deadline) asks of the transport.
#pragma once

#include <instagram/oauth/export.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace instagram::oauth {

/// Asks a transport not to send the requests that carry it (HttpRequest::cancellation, or a
/// client's *_async call given it). A request not yet handed to the network completes with
/// ErrorCategory::cancelled and is never sent; one already handed over completes as it ends
/// (an answer, or `transport`: it may have reached the server, and its code may be spent).
/// The curl transport hands a request over when its connection is ready to take it: one
/// waiting for room on a connection is cancelled at once, one whose connection is being set
/// up when that connection is ready.
///
/// @code
/// auto cancellation = std::make_shared<Cancellation>();
/// exchanger.exchange_async(code, on_token, cancellation);
/// cancellation->cancel();  // the browser went away: on_token gets `cancelled` if unsent
/// @endcode
///
/// Thread-safe: cancel() from any thread, any number of times, also after the request ended.
class INSTAGRAM_OAUTH_EXPORT Cancellation {
 public:
  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  /// Cancels what has not left; wakes the transports that wait on it. Never fails.
  void cancel() noexcept;
  /// Whether cancel() was called.
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  /// For a transport: `wake` runs once, on the thread that calls cancel() (at once, here, when
  /// that already happened), until forget() with the number returned. It must not block, and
  /// what it throws is dropped.
  std::uint64_t on_cancel(std::function<void()> wake);
  /// The `wake` of on_cancel's number runs no more; when it is running, after it returned.
  void forget(std::uint64_t watch) noexcept;

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::uint64_t last_watch_ = 0;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> wakes_;
};

}  // namespace instagram::oauth
