/// @file
/// An event loop that drives the curl transport in place of its engine thread: the loop
/// waits for libcurl's sockets and its timer, and the transport's work and its callbacks run
/// on the loop. A service whose code already runs on one loop (Asio's io_context, for which
/// `<instagram/oauth/asio.hpp>` has one) then hands no request and no answer to another thread.
#pragma once

#include <instagram/oauth/export.hpp>
#include <instagram/oauth/http.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace instagram::oauth {

/// What the curl transport needs of an event loop (make_curl_transport(options, loop)). The
/// transport calls watch(), schedule() and drive() only on the loop; post() from any thread.
/// The loop calls the Driven it was given only on the loop, one call at a time, and never
/// from inside one of the calls above.
class INSTAGRAM_OAUTH_EXPORT EventLoop {
 public:
  /// What to wait for on a socket.
  enum class Wait { read, write, read_write };

  /// The transport's side: what the loop reports.
  class Driven {
   public:
    /// The socket is ready for what watch() asked (the transport looks for itself which).
    virtual void socket_ready(int socket) = 0;
    /// The time schedule() asked for has come.
    virtual void timer_expired() = 0;

   protected:
    ~Driven() = default;
  };

  virtual ~EventLoop() = default;

  /// The transport to report to from now on; nullptr when it ends: nothing is reported after,
  /// also not for a wait that completed before.
  virtual void drive(Driven* transport) = 0;
  /// Runs `work` on the loop, soon and never inside this call. Thread-safe. Until it ran (or
  /// the loop was destroyed, which destroys `work` unrun), the loop counts as busy.
  virtual void post(std::function<void()> work) = 0;
  /// Report socket_ready(socket) each time `socket` is ready for `wait`, until watch() is
  /// called again for it; nullopt: stop watching, the socket is about to be closed (the
  /// loop never closes it).
  virtual void watch(int socket, std::optional<Wait> wait) = 0;
  /// Report timer_expired() once after `delay`, replacing what was scheduled before;
  /// nullopt: nothing scheduled.
  virtual void schedule(std::optional<std::chrono::milliseconds> delay) = 0;
  /// Whether the calling thread is running the loop now (where a blocking call would wait
  /// for itself).
  virtual bool runs_here() const = 0;
};

/// make_curl_transport(options) driven by `loop` instead of a thread of its own (a null loop:
/// the same as without). Everything else is as there, and:
/// - the callbacks run on the loop; send_async() is thread-safe, send() on the loop is
///   refused (invalid_argument: it would wait for itself);
/// - destroyed on the loop, what is still out completes there and then (`cancelled` if
///   never sent, `transport` if it may have reached the server); destroyed elsewhere, that
///   happens on the loop soon after, or when the loop is destroyed without running it. The
///   transport must be destroyed before the loop. Not for use after fork().
INSTAGRAM_OAUTH_EXPORT std::shared_ptr<HttpTransport> make_curl_transport(
    const ClientOptions& options, std::shared_ptr<EventLoop> loop);

}  // namespace instagram::oauth
