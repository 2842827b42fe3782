// HttpTransport over libcurl, used the way its authors ask for many transfers at once: one
// curl multi handle driven by one engine thread through libcurl's socket interface
// (waiting in curl_multi_poll, woken by curl_multi_wakeup), easy handles added and removed
// only on that thread, reused from a free list with every invariant option set once, one
// shared connection cache, HTTP/2 streams multiplexed where the server offers h2, and new
// HTTP/2 connections opened only when the established ones are full (Origin). Other threads
// hand work over through a locked queue; send() is send_async() and a wait.
#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/proxy.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/event_loop.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/version.hpp>

#include "curl_answer.hpp"
#include "curl_handles.hpp"
#include "curl_text.hpp"
#include "origin.hpp"

#include <curl/curl.h>

#if !defined(_WIN32)
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace instagram::oauth {

// The adapter for a transport that has only a blocking send(). The parameters are the
// interface's, taken by value for transports that keep them.
void HttpTransport::send_async(HttpRequest request,  // NOLINT(performance-unnecessary-value-param)
                               Completion done) {    // NOLINT(performance-unnecessary-value-param)
  Result<HttpResponse> response = send(request);
  done(std::move(response));
}

std::string client_options_problem(const ClientOptions& options) {
  if (options.connect_timeout.count() <= 0) {
    return "ClientOptions::connect_timeout must be positive (0 or less would mean no limit)";
  }
  if (options.total_timeout.count() <= 0) {
    return "ClientOptions::total_timeout must be positive (0 or less would mean no limit)";
  }
  if (options.max_response_bytes == 0) return "ClientOptions::max_response_bytes must be positive";
  if (options.max_connections == 0) return "ClientOptions::max_connections must be positive";
  if (options.max_in_flight == 0) return "ClientOptions::max_in_flight must be positive";
  // A line break would let the value add headers of its own to every request.
  for (const char c : options.user_agent) {
    if (detail::is_control(c))
      return "ClientOptions::user_agent must not contain control characters";
  }
  return {};
}

namespace {

using detail::CurlEasy;
using detail::CurlMime;
using detail::CurlMulti;
using detail::CurlSlist;
using detail::CurlText;
using detail::may_have_been_used;
using detail::Origin;

const std::string sent_and_abandoned =
    std::string("the transport shut down after the request was sent and before an answer; it ") +
    may_have_been_used;

OAuthException cancelled(std::string message) {
  return OAuthException(ErrorCategory::cancelled, std::move(message));
}

// Calls `done` once; what it throws stays here, so the engine goes on.
void complete(HttpTransport::Completion& done, Result<HttpResponse> result) noexcept {
  try {
    done(std::move(result));
  } catch (...) {  // NOLINT(bugprone-empty-catch): a user's callback must not stop the engine
  }
}

using Clock = std::chrono::steady_clock;

// Streams libcurl puts on one HTTP/2 connection (CURLMOPT_MAX_CONCURRENT_STREAMS, set to
// this); the engine's admission counts with the same figure.
constexpr std::size_t streams_per_connection = 100;

// Where a request goes, worked out once from its URL when it is handed over: the key of its
// origin (scheme, host and port), whose admission it goes through, and whether it is TLS.
struct Destination {
  std::string origin;  // empty: a URL the engine cannot split, which libcurl then refuses
  bool tls = false;
};

// While a request is the engine's, its Cancellation wakes the engine, which then drops what
// waits; the watch ends with the request (its Pending).
class CancelWatch {
 public:
  CancelWatch() = default;
  CancelWatch(std::shared_ptr<Cancellation> cancellation, std::function<void()> wake)
      : cancellation_(std::move(cancellation)), watch_(cancellation_->on_cancel(std::move(wake))) {}
  CancelWatch(CancelWatch&& other) noexcept
      : cancellation_(std::move(other.cancellation_)), watch_(other.watch_) {}
  CancelWatch& operator=(CancelWatch&& other) noexcept {
    if (this != &other) {
      end();
      cancellation_ = std::move(other.cancellation_);
      watch_ = other.watch_;
    }
    return *this;
  }
  CancelWatch(const CancelWatch&) = delete;
  CancelWatch& operator=(const CancelWatch&) = delete;
  ~CancelWatch() { end(); }

  explicit operator bool() const noexcept { return cancellation_ != nullptr; }

 private:
  void end() noexcept {
    if (cancellation_) cancellation_->forget(watch_);
    cancellation_.reset();
  }
  std::shared_ptr<Cancellation> cancellation_;
  std::uint64_t watch_ = 0;
};

// A request handed to the engine and not yet in the multi handle.
struct Pending {
  HttpRequest request;
  Destination destination;
  HttpTransport::Completion done;
  Clock::time_point deadline;  // total_timeout runs from submission, also while held back
  bool resent = false;         // sent once already, on a stream the server never processed
  CancelWatch cancel_watch;    // with request.cancellation, once the engine thread has it
};

// Whether the request's Cancellation was cancelled.
bool cancelled_by_caller(const Pending& pending) {
  return pending.request.cancellation && pending.request.cancellation->cancelled();
}

constexpr const char* cancelled_unsent = "the request was cancelled before it was sent";

// libcurl's number for a connection (its verbose text's "#N"): never reused in a process.
using ConnectionId = std::uint64_t;

// An HTTP/2 GOAWAY seen on a connection: its streams above `last_stream` were never
// processed (RFC 9113 section 6.8), so their requests are safe to send again.
struct GoAway {
  ConnectionId connection;
  std::uint64_t last_stream;
};

// An origin's admission and the requests it holds back, oldest first.
struct OriginQueue {
  Origin origin;
  std::deque<Pending> held;
};

// Counters a service reads from any thread (TransportStats); the engine thread writes them.
struct Counters {
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> waiting{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> pooled_handles{0};
  std::atomic<std::uint64_t> requests_sent{0};
  std::atomic<std::uint64_t> completed{0};
};

class Engine;

// One easy handle, the buffers that live as long as it does, and its current request.
struct Transfer {
  CurlEasy easy{curl_easy_init()};
  Engine* engine = nullptr;
  std::string body;
  std::size_t max_body = 0;
  bool body_too_large = false;
  std::vector<std::pair<std::string, std::string>> headers;  // detail::keep_header's
  std::string upload;      // the urlencoded POST body (CURLOPT_POSTFIELDS while it is out)
  int request_starts = 0;  // on_request_start calls for the current request
  CurlMime mime;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Origin* origin = nullptr;                   // when admission applies to the current request
  std::optional<Origin::Admission> starting;  // admitted so, not yet on a connection
  Pending current;  // the request as handed over, kept to be sent again if never processed
  std::vector<curl_socket_t> opened;  // sockets libcurl opened for this request
  // From the transfer's own verbose text: the connection it is on now, and the one its
  // request first went out on (the one whose GOAWAY can name its stream).
  std::optional<ConnectionId> text_connection;
  std::optional<ConnectionId> connection;
  std::uint64_t stream = 0;      // its HTTP/2 stream, once it has one
  bool never_processed = false;  // above a GOAWAY's last stream on its connection
  bool cancelled = false;        // its Cancellation stopped it before its request started
};

// The transfer no longer waits for a connection: it is on one, or it ended.
void stop_starting(Transfer& transfer) {
  if (!transfer.starting) return;
  transfer.origin->started(*transfer.starting);
  transfer.starting.reset();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (bytes > transfer.max_body - transfer.body.size()) {
    transfer.body_too_large = true;  // also for chunked bodies, which CURLOPT_MAXFILESIZE misses
    return 0;
  }
  try {
    transfer.body.append(data, bytes);
  } catch (...) {
    return 0;
  }
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  try {
    detail::keep_header(transfer.headers, std::string_view(data, bytes));
  } catch (...) {
    return 0;
  }
  return bytes;
}

// One multi handle and everything that goes with it. It waits on its own thread (run()), or
// an EventLoop drives it: then the loop waits for libcurl's sockets and timer and calls
// socket_ready()/timer_expired(), and work handed over from other threads is posted to it.
// Either way its state is touched by one thread at a time, the engine thread or the loop.
class Engine final : public EventLoop::Driven, public std::enable_shared_from_this<Engine> {
 public:
  explicit Engine(const ClientOptions& options, std::shared_ptr<EventLoop> loop = nullptr)
      : loop_(std::move(loop)),
        options_(options),
        answer_context_{options.max_response_bytes, detail::proxy_credentials(options.proxy)} {
    const std::string agent = options.user_agent.empty() ? std::string("instagram-oauth-cpp/") +
                                                               INSTAGRAM_OAUTH_VERSION_STRING
                                                         : options.user_agent;
    // A prebuilt header line costs less per request than CURLOPT_USERAGENT.
    headers_.reset(curl_slist_append(nullptr, ("User-Agent: " + agent).c_str()));
    multi_.reset(curl_multi_init());
    if (multi_) {
      curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
      curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                        static_cast<long>(options_.max_connections));
      // Idle connections kept. libcurl's default, four for each transfer in the multi handle
      // at that moment, shrinks when few are in flight and closes connections the next
      // request must open again: 8 blocking threads with max_connections 8 opened 79 over
      // 16,000 exchanges. Room for max_connections to each of the two hosts an app talks to,
      // the token host and graph.
      curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS,
                        static_cast<long>(options_.max_connections * 2));
      curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETFUNCTION, &on_socket);
      curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETDATA, this);
      curl_multi_setopt(multi_.get(), CURLMOPT_TIMERFUNCTION, &on_timer);
      curl_multi_setopt(multi_.get(), CURLMOPT_TIMERDATA, this);
      curl_multi_setopt(multi_.get(), CURLMOPT_MAX_CONCURRENT_STREAMS,
                        static_cast<long>(streams_per_connection));
    }
  }

  ~Engine() {
    // Only the engine thread (or loop) adds handles; it has finished (shut_down() ran), so
    // none is in the multi handle.
    for (auto& transfer : idle_) transfer->easy.reset();
    // The multi handle's clean-up closes the pooled connections, telling on_socket first.
    multi_.reset();
    if (loop_) loop_->drive(nullptr);
  }

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  bool usable() const { return multi_ && headers_; }

  // Queues the request, or completes it at once (cancelled) when full or shut down.
  void submit(HttpRequest request, Destination destination, HttpTransport::Completion done) {
    std::string refusal;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      refusal = count_in();
      if (refusal.empty()) {
        queue_.push_back(Pending{std::move(request),
                                 std::move(destination),
                                 std::move(done),
                                 Clock::now() + options_.total_timeout,
                                 false,
                                 {}});
      }
    }
    if (!refusal.empty()) return complete(done, cancelled(std::move(refusal)));
    wake();
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    if (!loop_) curl_multi_wakeup(multi_.get());
  }

  // Driven by a loop: from now on the loop reports to this engine (on the loop).
  void attach() { loop_->drive(this); }

  // Driven by a loop, on the loop, once, after stop(): everything still here completes (as
  // when run() ends) and nothing is reported any more.
  void shut_down() {
    cancel_everything();
    loop_->schedule(std::nullopt);
  }

  void socket_ready(int socket) override {
    int running = 0;
    curl_multi_socket_action(multi_.get(), static_cast<curl_socket_t>(socket), 0, &running);
    after_io();
  }

  void timer_expired() override {
    scheduled_.reset();
    if (timer_ && *timer_ <= Clock::now()) {
      timer_.reset();
      int running = 0;
      curl_multi_socket_action(multi_.get(), CURL_SOCKET_TIMEOUT, 0, &running);
    }
    after_io();
  }

  TransportStats stats() const {
    TransportStats stats;
    stats.in_flight = counters_.in_flight;
    stats.waiting = counters_.waiting;
    stats.connections = counters_.connections;
    stats.pooled_handles = counters_.pooled_handles;
    stats.requests_sent = counters_.requests_sent;
    stats.completed = counters_.completed;
    return stats;
  }

  // The engine thread's loop; returns after every request has been completed. libcurl is
  // driven by its socket interface: it says which sockets to wait for (on_socket) and when
  // to call back (on_timer), and each call runs only the transfers of a socket that is
  // ready. curl_multi_perform would instead look at every transfer on each wake-up, one
  // poll() each: with 100 streams on an HTTP/2 connection that doubled the CPU time.
  // The wait itself is curl_multi_poll with libcurl's sockets passed as extra descriptors,
  // not an epoll of our own: curl_multi_wakeup interrupts it from the submitting threads,
  // and it is as portable as libcurl.
  void run() {
    while (take_arrivals()) {
      wait_fds_.clear();
      for (const auto& [socket, events] : sockets_) wait_fds_.push_back({socket, events, 0});
      curl_multi_poll(multi_.get(), wait_fds_.data(), static_cast<unsigned>(wait_fds_.size()),
                      wait_ms(), nullptr);
      int running = 0;
      for (const curl_waitfd& ready : wait_fds_) {
        // The socket is ready, but libcurl is told no direction (0: it looks for itself).
        // libcurl 7.88 keeps the mask on the connection, which all of an HTTP/2
        // connection's streams share; the one transfer that took a write-only mask skipped
        // reading and sent the rest of its body on a stream the server had already
        // answered and closed, which fails the transfer (libcurl error 92) and loses the
        // answer: 5 % of sign-ins against a server that answers before reading the body.
        if (ready.revents != 0) curl_multi_socket_action(multi_.get(), ready.fd, 0, &running);
      }
      if (timer_ && *timer_ <= Clock::now()) {
        timer_.reset();
        curl_multi_socket_action(multi_.get(), CURL_SOCKET_TIMEOUT, 0, &running);
      }
      after_io();
    }
    cancel_everything();
  }

 private:
  // What was handed over since the last call goes to its origin's admission; false once
  // stopping (then nothing is taken).
  bool take_arrivals() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return false;
      arrived_.swap(queue_);
      drain_posted_ = false;
    }
    for (Pending& pending : arrived_) admit_or_hold(std::move(pending));
    arrived_.clear();
    return true;
  }

  // After libcurl ran: the ended transfers complete, the cancelled held ones are dropped,
  // and what now has room is started; a loop is told when to call back next.
  void after_io() {
    finish_completed();
    if (cancel_seen_.exchange(false)) drop_cancelled();
    admit_held();
    if (loop_) reschedule();
  }

  // Driven by a loop, on the loop: new work, or a cancellation, was handed over.
  void drain() {
    if (take_arrivals()) after_io();
  }

  // Tells the engine there is work: the thread's wait is interrupted, or one drain is posted
  // to the loop for everything handed over until it runs.
  void wake() {
    if (!loop_) {
      curl_multi_wakeup(multi_.get());
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (drain_posted_ || stopping_) return;
      drain_posted_ = true;
    }
    loop_->post([engine = weak_from_this()] {
      if (const auto alive = engine.lock()) alive->drain();
    });
  }

  // The loop's timer: the earlier of libcurl's and the next held request's time limit. Only
  // an earlier time replaces what is scheduled; a timer that fires early reschedules. With
  // nothing to wait for none is left pending, so that an idle loop holds no work of ours.
  void reschedule() {
    const std::optional<Clock::time_point> next = next_deadline();
    if (!next) {
      if (scheduled_) loop_->schedule(std::nullopt);
      scheduled_.reset();
      return;
    }
    if (scheduled_ && *scheduled_ <= *next) return;
    scheduled_ = next;
    loop_->schedule(std::chrono::ceil<std::chrono::milliseconds>(
        std::max(*next - Clock::now(), Clock::duration::zero())));
  }
  // With mutex_ held: why one more request cannot be taken, or empty after counting it.
  std::string count_in() {
    if (stopping_) return "the transport shut down before the request was sent";
    if (counters_.in_flight >= options_.max_in_flight) {
      return "more than ClientOptions::max_in_flight (" + std::to_string(options_.max_in_flight) +
             ") requests are waiting or in flight; not sent";
    }
    ++counters_.in_flight;
    ++counters_.waiting;
    return {};
  }

  // The admission of this request's origin; nullptr only for a URL the engine cannot split,
  // which libcurl then refuses.
  OriginQueue* origin_of(const Destination& destination) {
    if (destination.origin.empty()) return nullptr;
    const bool may_multiplex = destination.tls && options_.http_version == HttpVersion::negotiate;
    return &origins_
                .try_emplace(destination.origin,
                             OriginQueue{Origin(options_.max_connections, streams_per_connection,
                                                may_multiplex),
                                         {}})
                .first->second;
  }

  void admit_or_hold(Pending pending) {
    if (pending.request.cancellation) {
      if (!pending.cancel_watch) {
        try {
          pending.cancel_watch = CancelWatch(pending.request.cancellation, [this] {
            cancel_seen_.store(true);
            wake();
          });
        } catch (...) {  // NOLINT(bugprone-empty-catch): unwatched, it is still checked before
        }                // it starts; only a wait for a connection is not cut short
      }
      if (pending.request.cancellation->cancelled()) {
        return finish(pending.done, cancelled(cancelled_unsent), true);
      }
    }
    OriginQueue* queue = origin_of(pending.destination);
    if (queue == nullptr) return start(std::move(pending), nullptr, Origin::Admission::now);
    if (queue->held.empty()) {
      const Origin::Admission decision = queue->origin.admission(1);
      if (decision != Origin::Admission::hold) {
        return start(std::move(pending), &queue->origin, decision);
      }
    }
    // A request sent again is older than everything held: it goes first, so that it lands
    // early on the next connection rather than near the end of one that rotates again.
    if (pending.resent) {
      queue->held.push_front(std::move(pending));
    } else {
      queue->held.push_back(std::move(pending));
    }
  }

  // What waits for room on a connection and was cancelled completes so, never sent. (What is
  // in the multi handle is stopped by on_request_start, when its connection is ready.)
  void drop_cancelled() {
    std::vector<Pending> dropped;
    for (auto& [key, queue] : origins_) {
      const auto kept =
          std::stable_partition(queue.held.begin(), queue.held.end(),
                                [](const Pending& p) { return !cancelled_by_caller(p); });
      std::move(kept, queue.held.end(), std::back_inserter(dropped));
      queue.held.erase(kept, queue.held.end());
    }
    for (Pending& pending : dropped) finish(pending.done, cancelled(cancelled_unsent), true);
  }

  // Admits what the connections now have room for; what waited too long times out.
  void admit_held() {
    const Clock::time_point now = Clock::now();
    for (auto& [key, queue] : origins_) {
      while (!queue.held.empty() && queue.held.front().deadline <= now) {
        Pending late = std::move(queue.held.front());
        queue.held.pop_front();
        finish(late.done,
               OAuthException(ErrorCategory::timeout,
                              "the request timed out after " +
                                  std::to_string(options_.total_timeout.count()) +
                                  " ms waiting for a connection; not sent"),
               true);
      }
      while (!queue.held.empty()) {
        const Origin::Admission decision = queue.origin.admission(queue.held.size());
        if (decision == Origin::Admission::hold) break;
        Pending next = std::move(queue.held.front());
        queue.held.pop_front();
        start(std::move(next), &queue.origin, decision);
      }
    }
  }

  // The earlier of libcurl's timer and the next held request's time limit, if any.
  std::optional<Clock::time_point> next_deadline() const {
    std::optional<Clock::time_point> next = timer_;
    for (const auto& [key, queue] : origins_) {
      if (!queue.held.empty() && (!next || queue.held.front().deadline < *next)) {
        next = queue.held.front().deadline;
      }
    }
    return next;
  }

  // Until next_deadline(), at most a second.
  int wait_ms() const {
    Clock::duration wait = std::chrono::seconds(1);
    if (const auto next = next_deadline()) wait = std::min(wait, *next - Clock::now());
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
    return static_cast<int>(std::max<decltype(ms)>(ms, 0));
  }

  // libcurl's socket interface: what to wait for on which socket, and when to call back.
  static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void*) noexcept {
    auto& engine = *static_cast<Engine*>(user);
    if (engine.loop_) {
      try {
        engine.loop_->watch(static_cast<int>(socket), wait_of(what));
      } catch (...) {
        return -1;  // libcurl fails the transfers of this socket
      }
      return 0;
    }
    auto& sockets = engine.sockets_;
    if (what == CURL_POLL_REMOVE) {
      sockets.erase(socket);
      return 0;
    }
    const auto events = static_cast<short>(((what & CURL_POLL_IN) != 0 ? CURL_WAIT_POLLIN : 0) |
                                           ((what & CURL_POLL_OUT) != 0 ? CURL_WAIT_POLLOUT : 0));
    try {
      sockets[socket] = events;
    } catch (...) {
      return -1;  // libcurl fails the transfers of this socket
    }
    return 0;
  }

  static std::optional<EventLoop::Wait> wait_of(int what) {
    switch (what) {
      case CURL_POLL_IN:
        return EventLoop::Wait::read;
      case CURL_POLL_OUT:
        return EventLoop::Wait::write;
      case CURL_POLL_INOUT:
        return EventLoop::Wait::read_write;
      default:
        return std::nullopt;
    }
  }

  // Kept for run()'s wait or the loop's timer (after_io() reschedules; libcurl calls this
  // only from inside its own calls).
  static int on_timer(CURLM*, long timeout_ms, void* user) noexcept {
    auto& timer = static_cast<Engine*>(user)->timer_;
    if (timeout_ms < 0) {
      timer.reset();
    } else {
      timer = Clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  // Called each time libcurl is about to send the request on a connection. A second call
  // for one request is libcurl retrying it after a reused connection died before any
  // answer: the request may have reached the server (a single-use code among it), so stop.
  // It is also where the engine learns which connection a transfer is on, and whether it is
  // new: the one socket this transfer opened that is still open, when libcurl says it made
  // one (CURLINFO_ACTIVESOCKET has no answer here for a multi transfer in libcurl 7.88).
  static int on_request_start(void* user, char*, char*, int, int) noexcept {
    auto& transfer = *static_cast<Transfer*>(user);
    // The last moment a cancellation keeps the request from leaving.
    if (transfer.request_starts == 0 && cancelled_by_caller(transfer.current)) {
      transfer.cancelled = true;
      return CURL_PREREQFUNC_ABORT;
    }
    if (++transfer.request_starts > 1) return CURL_PREREQFUNC_ABORT;
    if (Origin* origin = transfer.origin) {
      stop_starting(transfer);
      long made = 0;
      if (curl_easy_getinfo(transfer.easy.get(), CURLINFO_NUM_CONNECTS, &made) == CURLE_OK &&
          made > 0) {
        if (const auto socket = transfer.engine->opened_and_open(transfer)) {
          try {
            origin->connection_made(static_cast<Origin::Connection>(*socket));
          } catch (...) {  // NOLINT(bugprone-empty-catch): uncounted, it only opens one more
          }
        }
      }
    }
    // The connection of its first try, the one a GOAWAY may name.
    transfer.connection = transfer.text_connection;
    Counters& counters = transfer.engine->counters_;
    --counters.waiting;
    ++counters.requests_sent;
    return CURL_PREREQFUNC_OK;
  }

  // The transfer's connection, its HTTP/2 stream and its connection's GOAWAY, from libcurl's
  // own lines of its verbose text (detail::read_curl_text); nothing else is read, nothing kept.
  static int on_debug_text(CURL*, curl_infotype type, char* data, std::size_t size,
                           void* user) noexcept {
    if (type != CURLINFO_TEXT) return 0;
    auto& transfer = *static_cast<Transfer*>(user);
    const auto text = detail::read_curl_text(std::string_view(data, size));
    if (!text) return 0;
    switch (text->kind) {
      case CurlText::Kind::connected:
      case CurlText::Kind::reused:
        transfer.text_connection = text->number;
        break;
      case CurlText::Kind::stream:
        transfer.stream = text->number;
        break;
      case CurlText::Kind::goaway:
        // Only for a connection known from this transfer's own text: never a guess.
        if (!transfer.text_connection) break;
        try {
          transfer.engine->goaways_.push_back(GoAway{*transfer.text_connection, text->number});
        } catch (...) {  // NOLINT(bugprone-empty-catch): unknown, so nothing is sent again
        }
        break;
    }
    return 0;
  }

  // The one socket `transfer` opened that is still open, or nullopt when none or several are
  // (then its connection stays uncounted, which only lets admission open one more).
  std::optional<curl_socket_t> opened_and_open(const Transfer& transfer) const {
    std::optional<curl_socket_t> found;
    for (const curl_socket_t socket : transfer.opened) {
      if (open_sockets_.count(socket) == 0) continue;
      if (found) return std::nullopt;
      found = socket;
    }
    return found;
  }

  // Every connection libcurl opens passes here, for the transfer that opens it: counted while
  // it is open, and remembered by that transfer (on_request_start learns which it is on).
  static curl_socket_t on_socket_open(void* user, curlsocktype, curl_sockaddr* address) noexcept {
    auto& transfer = *static_cast<Transfer*>(user);
    Engine& engine = *transfer.engine;
    const curl_socket_t socket = ::socket(address->family, address->socktype, address->protocol);
    if (socket == CURL_SOCKET_BAD) return socket;
    ++engine.counters_.connections;
    try {
      engine.open_sockets_.insert(socket);
      transfer.opened.push_back(socket);
    } catch (...) {  // NOLINT(bugprone-empty-catch): not known as a connection, one more opens
    }
    return socket;
  }

  // Every socket libcurl closes passes here: a counted connection is gone.
  static int on_socket_close(void* user, curl_socket_t socket) noexcept {
    auto& engine = *static_cast<Engine*>(user);
    // A loop stops watching before the number can be another socket's.
    if (engine.loop_) {
      try {
        engine.loop_->watch(static_cast<int>(socket), std::nullopt);
      } catch (...) {  // NOLINT(bugprone-empty-catch): the loop's own failure; closed anyway
      }
    }
    for (auto& [key, queue] : engine.origins_) {
      queue.origin.connection_closed(static_cast<Origin::Connection>(socket));
    }
    engine.open_sockets_.erase(socket);
    --engine.counters_.connections;
#if defined(_WIN32)
    return closesocket(socket);
#else
    return close(socket);
#endif
  }

  // A pooled handle, or a new one; nullptr when libcurl cannot make one.
  std::unique_ptr<Transfer> idle_transfer() {
    if (!idle_.empty()) {
      std::unique_ptr<Transfer> transfer = std::move(idle_.back());
      idle_.pop_back();
      counters_.pooled_handles = idle_.size();
      return transfer;
    }
    auto transfer = std::make_unique<Transfer>();
    transfer->engine = this;
    if (!transfer->easy || !set_invariant_options(*transfer)) return nullptr;
    return transfer;
  }

  // Every option that does not change between requests, set once per handle.
  bool set_invariant_options(Transfer& transfer) {
    CURL* easy = transfer.easy.get();
    transfer.max_body = options_.max_response_bytes;
    const char* protocols = options_.allow_plain_http ? "http,https" : "https";
    // Comparisons, not branches: one check at the end covers every option.
    bool failed = false;
    const auto set = [&](CURLoption option, auto value) {
      failed |= curl_easy_setopt(easy, option, value) != CURLE_OK;
    };
    set(CURLOPT_PRIVATE, &transfer);
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_ERRORBUFFER, transfer.error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075500
    set(CURLOPT_PROTOCOLS_STR, protocols);
    set(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
#else
    set(CURLOPT_PROTOCOLS,
        options_.allow_plain_http ? long{CURLPROTO_HTTP | CURLPROTO_HTTPS} : long{CURLPROTO_HTTPS});
    (void)protocols;
#endif
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_HTTPHEADER, headers_.get());
    set(CURLOPT_WRITEFUNCTION, &on_body);
    set(CURLOPT_WRITEDATA, &transfer);
    set(CURLOPT_HEADERFUNCTION, &on_header);
    set(CURLOPT_HEADERDATA, &transfer);
    set(CURLOPT_DEBUGFUNCTION, &on_debug_text);
    set(CURLOPT_DEBUGDATA, &transfer);
    set(CURLOPT_PREREQFUNCTION, &on_request_start);
    set(CURLOPT_PREREQDATA, &transfer);
    set(CURLOPT_OPENSOCKETFUNCTION, &on_socket_open);
    set(CURLOPT_OPENSOCKETDATA, &transfer);
    set(CURLOPT_CLOSESOCKETFUNCTION, &on_socket_close);
    set(CURLOPT_CLOSESOCKETDATA, this);
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    if (options_.http_version == HttpVersion::negotiate) {
      set(CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_2TLS});
    } else {
      set(CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_1_1});
    }
    if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.proxy.empty()) set(CURLOPT_PROXY, options_.proxy.c_str());
    return !failed;
  }

  // URL, time left, proxy bypass, method and body: the only options that change per request.
  // The request in transfer.current onto its handle; `origin`: its admission, when it has one.
  void prepare(Transfer& transfer, const Origin* origin) const {
    const HttpRequest& request = transfer.current.request;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(transfer.current.deadline - Clock::now())
            .count();
    CURL* easy = transfer.easy.get();
    transfer.body.clear();
    transfer.body_too_large = false;
    transfer.headers.clear();
    transfer.request_starts = 0;
    transfer.cancelled = false;
    transfer.error_buffer[0] = '\0';
    transfer.opened.clear();
    transfer.text_connection.reset();
    transfer.connection.reset();
    transfer.stream = 0;
    transfer.never_processed = false;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<decltype(left)>(left, 1)));
    // Plain http (loopback only) never goes through a proxy: it would read the secrets.
    const bool plain_http = !transfer.current.destination.tls;
    curl_easy_setopt(easy, CURLOPT_NOPROXY, plain_http ? "*" : nullptr);
    // Over TLS, wait for a connection being set up to learn whether it multiplexes (h2);
    // plain http is HTTP/1.1, where waiting would queue requests behind a busy connection.
    const bool may_multiplex = !plain_http && options_.http_version == HttpVersion::negotiate;
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, may_multiplex ? 1L : 0L);
    // libcurl's verbose text tells connections, streams and GOAWAYs apart (on_debug_text),
    // which matters only where HTTP/2 may be spoken: not for an origin that answered over
    // HTTP/1.x, where it would cost a fifth of an exchange (docs/performance.md).
    const bool read_text = may_multiplex && origin != nullptr && origin->multiplexes();
    curl_easy_setopt(easy, CURLOPT_VERBOSE, read_text ? 1L : 0L);
    if (request.method == HttpMethod::get) {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (options_.form_encoding == FormEncoding::multipart) {
      transfer.mime.reset(curl_mime_init(easy));
      for (const auto& [name, value] : request.form) {
        curl_mimepart* part = curl_mime_addpart(transfer.mime.get());
        curl_mime_name(part, name.c_str());
        curl_mime_data(part, value.data(), value.size());
      }
      curl_easy_setopt(easy, CURLOPT_MIMEPOST, transfer.mime.get());
    } else {
      transfer.upload.clear();
      for (const auto& [name, value] : request.form) {
        if (!transfer.upload.empty()) transfer.upload += '&';
        detail::append_percent_encoded(transfer.upload, name);
        transfer.upload += '=';
        detail::append_percent_encoded(transfer.upload, value);
      }
      // Handed over whole, so that it leaves with the headers: a read callback sent it as a
      // second TLS record, a sixth of an HTTPS exchange's instructions. libcurl may try to
      // send it again on another connection; on_request_start stops every such try.
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(transfer.upload.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer.upload.c_str());
    }
  }

  // Back to an unused state: a multipart body is freed with its request, and libcurl keeps no
  // pointer into the form's buffer, which the next request may reallocate.
  static void clear_request(Transfer& transfer) {
    if (!transfer.upload.empty()) {
      curl_easy_setopt(transfer.easy.get(), CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
      transfer.upload.clear();
    }
    if (transfer.mime) {
      curl_easy_setopt(transfer.easy.get(), CURLOPT_MIMEPOST, static_cast<curl_mime*>(nullptr));
      transfer.mime.reset();
    }
  }

  void start(Pending pending, Origin* origin, Origin::Admission admission) {
    std::unique_ptr<Transfer> made = idle_transfer();
    if (!made) {
      return finish(pending.done,
                    OAuthException(ErrorCategory::transport, "libcurl could not create a handle"),
                    true);
    }
    Transfer& transfer = *made;
    transfer.current = std::move(pending);
    prepare(transfer, origin);
    busy_.emplace(&transfer, std::move(made));
    if (curl_multi_add_handle(multi_.get(), transfer.easy.get()) != CURLM_OK) {
      Result<HttpResponse> failed =
          OAuthException(ErrorCategory::transport, "libcurl could not start the request");
      return release(transfer, std::move(failed));
    }
    if (origin != nullptr) {
      transfer.origin = origin;
      transfer.starting = admission;
      origin->admit(admission);
    }
  }

  // Marks the transfers whose streams a GOAWAY said the server never processed: only on the
  // connection the GOAWAY came on, both known from libcurl's own text.
  void apply_goaways() {
    for (const GoAway& goaway : goaways_) {
      for (const auto& [transfer, owner] : busy_) {
        if (transfer->connection == goaway.connection && transfer->stream != 0 &&
            transfer->stream > goaway.last_stream) {
          transfer->never_processed = true;
        }
      }
    }
    goaways_.clear();
  }

  void finish_completed() {
    apply_goaways();
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &transfer);
      curl_multi_remove_handle(multi_.get(), easy);
      if (Origin* origin = transfer->origin) {
        stop_starting(*transfer);
        long version = 0;
        origin->finished(code == CURLE_OK &&
                         curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version) == CURLE_OK &&
                         (version == CURL_HTTP_VERSION_1_0 || version == CURL_HTTP_VERSION_1_1));
      }
      if (transfer->cancelled) {
        release(*transfer, cancelled(cancelled_unsent));
        continue;
      }
      detail::TransferEnd end = transfer_end(*transfer, code);
      const bool answered = code == CURLE_OK || detail::answered_before_the_body_was_read(end);
      if (!answered && may_send_again(*transfer, code)) {
        // Above a GOAWAY's last stream: the server never processed it. Sent once more, on
        // a new connection, as a request that waits again.
        Pending again = recycle(*transfer);
        again.resent = true;
        ++counters_.waiting;
        admit_or_hold(std::move(again));
        continue;
      }
      release(*transfer, detail::map_transfer_end(std::move(end), answer_context_));
    }
  }

  // Sent again only once, only what a GOAWAY on its own connection said was never processed,
  // and never after a time limit: a request that timed out may be read by the server at any
  // moment, and one sent with no time left would time out while its code is spent.
  static bool may_send_again(const Transfer& transfer, CURLcode code) {
    return transfer.never_processed && !transfer.current.resent &&
           code != CURLE_OPERATION_TIMEDOUT && Clock::now() < transfer.current.deadline;
  }

  // What libcurl and the callbacks say of a finished transfer; its body moves out.
  static detail::TransferEnd transfer_end(Transfer& transfer, CURLcode code) {
    CURL* easy = transfer.easy.get();
    detail::TransferEnd end;
    end.code = code;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &end.status);
    const char* text = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &text) == CURLE_OK && text) {
      end.content_type = text;
    }
    if (end.status >= 300 && end.status < 400) {
      text = nullptr;
      if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &text) == CURLE_OK && text) {
        end.redirect_url = text;
      }
    }
    curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &end.content_length);
    end.body = std::move(transfer.body);
    end.body_too_large = transfer.body_too_large;
    end.headers = std::move(transfer.headers);
    end.error_buffer = transfer.error_buffer;
    end.request_starts = transfer.request_starts;
    return end;
  }

  // Back to the pool (or freed past its bound), then the callback: it may queue more work.
  void release(Transfer& transfer, Result<HttpResponse> result) {
    const bool never_started = transfer.request_starts == 0;
    Pending ended = recycle(transfer);
    finish(ended.done, std::move(result), never_started);
  }

  // The transfer's handle back to the pool, or freed past its bound; its request returned.
  Pending recycle(Transfer& transfer) {
    clear_request(transfer);
    Pending request = std::move(transfer.current);
    transfer.current = Pending{};
    transfer.origin = nullptr;
    transfer.starting.reset();
    const auto owner = busy_.find(&transfer);
    std::unique_ptr<Transfer> handle = std::move(owner->second);
    busy_.erase(owner);
    // A burst's handles are not kept for the transport's lifetime: 10,000 at once left
    // 140 MB behind. Twice the connections is what a steady load reuses.
    if (idle_.size() < 2 * options_.max_connections) {
      idle_.push_back(std::move(handle));
      counters_.pooled_handles = idle_.size();
    }
    return request;
  }

  // `was_waiting`: the request never reached a connection (counted in `waiting` until now).
  void finish(HttpTransport::Completion& done, Result<HttpResponse> result, bool was_waiting) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --counters_.in_flight;
    }
    if (was_waiting) --counters_.waiting;
    ++counters_.completed;
    complete(done, std::move(result));
  }

  // Shutting down: what never reached a connection is cancelled (safe to send again); what
  // went out is a transport error that says the code may have been used.
  void cancel_everything() {
    std::vector<Transfer*> running;
    running.reserve(busy_.size());
    for (const auto& [transfer, owner] : busy_) running.push_back(transfer);
    for (Transfer* transfer : running) {
      curl_multi_remove_handle(multi_.get(), transfer->easy.get());
      if (transfer->request_starts == 0) {
        release(*transfer, cancelled("the transport shut down before the request was sent"));
      } else {
        release(*transfer, OAuthException(ErrorCategory::transport, sent_and_abandoned));
      }
    }
    std::deque<Pending> waiting;
    for (auto& [key, queue] : origins_) {
      std::move(queue.held.begin(), queue.held.end(), std::back_inserter(waiting));
      queue.held.clear();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::move(queue_.begin(), queue_.end(), std::back_inserter(waiting));
      queue_.clear();
    }
    for (Pending& pending : waiting) {
      finish(pending.done, cancelled("the transport shut down before the request was sent"), true);
    }
  }

  const std::shared_ptr<EventLoop> loop_;  // null: run() waits on the engine thread
  const ClientOptions options_;
  const detail::AnswerContext answer_context_;
  Counters counters_;  // written on the engine thread (in_flight under mutex_), read anywhere
  // Engine thread only; outlives the multi handle, whose clean-up closes sockets:
  std::unordered_map<std::string, OriginQueue> origins_;
  CurlSlist headers_;  // outlives the handles below
  CurlMulti multi_;
  // Engine thread only:
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> busy_;  // in the multi handle
  std::vector<std::unique_ptr<Transfer>> idle_;                    // the pool
  std::unordered_map<curl_socket_t, short> sockets_;               // what libcurl waits for on each
  std::unordered_set<curl_socket_t> open_sockets_;  // opened by libcurl, not yet closed
  std::vector<GoAway> goaways_;                     // seen since finish_completed() last ran
  std::vector<curl_waitfd> wait_fds_;
  // What run() took from queue_, swapped with it: kept, since a std::deque allocates when made.
  std::deque<Pending> arrived_;
  std::optional<Clock::time_point> timer_;      // when libcurl wants to be called back
  std::optional<Clock::time_point> scheduled_;  // the loop's timer, when it is set
  // Set by a Cancellation's wake-up on any thread: drop_cancelled() has work.
  std::atomic<bool> cancel_seen_{false};
  // Shared with the submitting threads:
  std::mutex mutex_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool drain_posted_ = false;  // a drain is posted to the loop and has not yet taken queue_
};

// How many times this process has forked (in the child, since the transports it inherited
// were made): their engine thread did not come along, and their mutex may be held forever.
std::atomic<unsigned> forks{0};

unsigned fork_generation() {
#if !defined(_WIN32)
  static std::once_flag once;
  std::call_once(once, [] { pthread_atfork(nullptr, nullptr, [] { ++forks; }); });
#endif
  return forks;
}

// Runs the engine's shut_down() on its loop exactly once: when the loop runs this, or, should
// the loop be destroyed with it unrun, then (no thread runs the loop any more).
class ShutDown {
 public:
  explicit ShutDown(std::shared_ptr<Engine> engine) : engine_(std::move(engine)) {}
  ShutDown(const ShutDown&) = delete;
  ShutDown& operator=(const ShutDown&) = delete;
  ~ShutDown() { run(); }
  void run() {
    if (!engine_) return;
    engine_->shut_down();
    engine_.reset();
  }

 private:
  std::shared_ptr<Engine> engine_;
};

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport(const ClientOptions& options, std::shared_ptr<EventLoop> loop)
      : options_(options),
        problem_(client_options_problem(options)),
        fork_generation_(fork_generation()),
        loop_(std::move(loop)) {
    if (problem_.empty()) problem_ = detail::curl_global_init_problem();
    if (!problem_.empty()) return;
    engine_ = std::make_shared<Engine>(options, loop_);
    if (!engine_->usable()) {
      problem_ = "libcurl could not create its multi handle";
      engine_.reset();
      return;
    }
    if (loop_) {
      engine_->attach();
      return;
    }
    // The thread shares the engine: it outlives this object when detached (see below).
    engine_thread_ = std::thread([engine = engine_] { engine->run(); });
  }

  ~CurlTransport() override {
    if (!engine_) return;
    if (loop_) {
      // What is still here completes on the loop; here when this is the loop's thread.
      engine_->stop();
      auto shut_down = std::make_shared<ShutDown>(std::move(engine_));
      if (loop_->runs_here()) {
        shut_down->run();
      } else {
        loop_->post([shut_down] { shut_down->run(); });
      }
      return;
    }
    if (forked()) {
      // The engine thread is the parent's: nothing to join, and its handles share the
      // parent's connections (a TLS close here would break them). Left as it is: the
      // parent's thread's reference, copied into the child, keeps the engine from its
      // destructor.
      engine_thread_.detach();
      return;
    }
    engine_->stop();
    if (std::this_thread::get_id() == engine_thread_.get_id()) {
      // Dropped inside a callback: the engine cannot wait for itself. It cancels the rest
      // and ends on its own thread, which holds the last reference to it.
      engine_thread_.detach();
    } else {
      engine_thread_.join();
    }
  }

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override {
    if (engine_ && loop_ && loop_->runs_here()) {
      return OAuthException(ErrorCategory::invalid_argument,
                            "send() on the event loop that drives the transport would wait for "
                            "itself; use send_async()");
    }
    if (engine_ && std::this_thread::get_id() == engine_thread_.get_id()) {
      return OAuthException(ErrorCategory::invalid_argument,
                            "send() inside a callback of the same transport would wait for "
                            "itself; use send_async()");
    }
    // Shared: the engine may still be returning from set_value when the wait ends.
    auto answer = std::make_shared<std::promise<Result<HttpResponse>>>();
    std::future<Result<HttpResponse>> future = answer->get_future();
    send_async(request,
               [answer](Result<HttpResponse> result) { answer->set_value(std::move(result)); });
    return future.get();
  }

  void send_async(HttpRequest request, Completion done) override {
    if (forked()) {
      return complete(done, OAuthException(ErrorCategory::invalid_argument,
                                           "this transport was made before fork() and cannot be "
                                           "used in the child: make a new one after fork()"));
    }
    if (!problem_.empty()) {
      return complete(done, OAuthException(ErrorCategory::invalid_argument, problem_));
    }
    Destination destination;
    if (std::string problem = destination_of(request.url, destination); !problem.empty()) {
      return complete(done, OAuthException(ErrorCategory::invalid_argument, std::move(problem)));
    }
    engine_->submit(std::move(request), std::move(destination), std::move(done));
  }

  std::optional<TransportStats> stats() const override {
    if (!engine_ || forked()) return TransportStats{};
    return engine_->stats();
  }

  std::shared_ptr<Telemetry> telemetry() const override { return options_.telemetry; }

 private:
  bool forked() const { return fork_generation() != fork_generation_; }

  // Why the URL is refused, or empty with `destination` filled: the URL is split here once.
  // Plain http only when allowed, and only to a loopback host; the scheme itself is also
  // enforced by CURLOPT_PROTOCOLS_STR.
  std::string destination_of(std::string_view url, Destination& destination) const {
    const std::string_view scheme = detail::absolute_url_scheme(url);
    const auto parts = detail::split_url(url);
    destination.tls = detail::iequals(scheme, "https");
    if (!destination.tls) {
      if (!detail::iequals(scheme, "http")) return "the request URL must be an absolute https URL";
      if (!options_.allow_plain_http || !parts || !detail::is_loopback_host(parts->host)) {
        return "plain http is refused: https is required (http only with "
               "ClientOptions::allow_plain_http and a loopback host)";
      }
    }
    if (parts) {
      destination.origin = destination.tls ? "https://" : "http://";
      destination.origin += parts->host;
      destination.origin += ':';
      destination.origin += std::to_string(parts->port);
    }
    return {};
  }

  const ClientOptions options_;
  std::string problem_;  // why this transport cannot serve, or empty
  unsigned fork_generation_;
  std::shared_ptr<EventLoop> loop_;  // null: the engine has a thread of its own
  std::shared_ptr<Engine> engine_;
  std::thread engine_thread_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(const ClientOptions& options) {
  return std::make_shared<CurlTransport>(options, nullptr);
}

std::shared_ptr<HttpTransport> make_curl_transport(const ClientOptions& options,
                                                   std::shared_ptr<EventLoop> loop) {
  if (!loop) return make_curl_transport(options);
  return std::make_shared<CurlTransport>(options, std::move(loop));
}

}  // namespace instagram::oauth
