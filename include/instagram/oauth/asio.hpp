/// @file
/// Sign-ins in an Asio event loop (the optional component InstagramOAuth::Asio, header-only,
/// on Boost.Asio): the exchange, the long-lived exchange, the refresh, `/me` and
/// TokenRefresher::fresh as initiating
/// functions with a completion token last, so that a callback, `use_future`, `use_awaitable`
/// (a coroutine's `co_await`) and `deferred` all work.
///
/// @code
/// boost::asio::io_context context;
/// boost::asio::co_spawn(context, [&]() -> boost::asio::awaitable<void> {
///   OAuthException diagnostics(ErrorCategory::api, {});
///   auto [error, token] = co_await async_exchange(
///       exchanger, code, diagnostics, boost::asio::as_tuple(boost::asio::use_awaitable));
///   if (error) co_return show(diagnostics);  // Instagram's message, hint() and fbtrace_id
///   greet(token.user_id);
/// }, boost::asio::detached);
/// context.run();
/// @endcode
///
/// The completion signature is `void(boost::system::error_code, T)`: the code is one of
/// error_category()'s (ErrorCategory, compared with `==`), or `operation_aborted` for a call
/// cancelled before it was sent; T is default-made on error. An error code alone loses what
/// Instagram said, so each function has an overload that also fills an OAuthException (its
/// message, hint() and fbtrace_id()) before completing with an error, as Boost.MySQL fills its
/// diagnostics; on success it is left as it was. Without that shape a user would choose
/// between an error code (Asio's idiom, `co_await` without exceptions) and the details.
///
/// Where handlers run: always on the handler's associated executor (a strand stays a strand;
/// a plain callback's is the executor it is bound to, else the system executor), never on the
/// transport's engine thread, and never inside the initiating call. A work guard keeps that
/// executor's io_context running while the request is out. With a transport the context
/// drives (make_curl_transport(executor, options), below) there is no engine thread: the
/// request and its answer stay on the context's threads.
///
/// Cancellation: the handler's cancellation slot (any type) cancels a request the transport
/// has not handed to the network: it completes with `operation_aborted` and is never sent
/// (Cancellation says when a request is handed over). A request already out completes as
/// the transport says (an answer, or `transport`: it may have reached the server).
///
/// Every initiating function is thread-safe as the client it calls is; the client must
/// outlive the operation.
#pragma once

#include <instagram/oauth/authorization_code.hpp>
#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/error.hpp>
#include <instagram/oauth/event_loop.hpp>
#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace instagram::oauth {
namespace detail::asio {

class Category : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "instagram-oauth"; }
  std::string message(int value) const override {
    if (value <= 0 || value > static_cast<int>(ErrorCategory::invalid_signature) + 1) {
      return "unknown instagram-oauth error";
    }
    return std::string(to_string(static_cast<ErrorCategory>(value - 1)));
  }
};

}  // namespace detail::asio

/// The library's errors as error codes: each ErrorCategory is one value (never 0, which is
/// success); message() is the category's name. Converts to std::error_category. Thread-safe.
inline const boost::system::error_category& error_category() noexcept {
  static const detail::asio::Category category;
  return category;
}

/// An ErrorCategory as an error code of error_category(), so that `error == ErrorCategory::api`.
inline boost::system::error_code make_error_code(ErrorCategory category) noexcept {
  return {static_cast<int>(category) + 1, error_category()};
}

namespace detail::asio {

// One operation: the handler, its executor kept busy, the call's Cancellation and where the
// diagnostics go. The transport calls complete() exactly once, on its engine thread (or, for
// an error found before sending, on the initiating thread); the handler then runs on its
// executor through post, never inline.
template <class T, class Handler>
class Operation {
 public:
  using Executor = boost::asio::associated_executor_t<Handler>;
  // The handler's executor, counted as work while it exists (a standard executor's
  // outstanding_work.tracked): the context stays up while the request is out.
  using Tracked = std::decay_t<decltype(boost::asio::prefer(
      std::declval<const Executor&>(), boost::asio::execution::outstanding_work.tracked))>;

  Operation(Handler handler, OAuthException* diagnostics)
      : work_(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                  boost::asio::execution::outstanding_work.tracked)),
        handler_(std::move(handler)),
        diagnostics_(diagnostics),
        cancellation_(std::make_shared<Cancellation>()) {
    auto slot = boost::asio::get_associated_cancellation_slot(handler_);
    if (slot.is_connected()) {
      slot.assign([cancellation = cancellation_](boost::asio::cancellation_type type) {
        if (type != boost::asio::cancellation_type::none) cancellation->cancel();
      });
    }
  }

  const std::shared_ptr<Cancellation>& cancellation() const noexcept { return cancellation_; }

  static void complete(std::unique_ptr<Operation> self, Result<T> result) {
    boost::system::error_code error;
    T value{};
    if (result) {
      value = std::move(*result);
    } else if (result.error().category() == ErrorCategory::cancelled &&
               self->cancellation_->cancelled()) {
      error = boost::asio::error::operation_aborted;
    } else {
      error = make_error_code(result.error().category());
    }
    if (!result && self->diagnostics_ != nullptr) *self->diagnostics_ = result.error();
    // The work ends here, on this thread, after post() returned, and last: post() may still
    // be waking the context's thread when the handler has run there, and once the work is
    // gone the context (and a strand's state, which this copy may be the last to hold) may
    // be destroyed. A tracked strand drops its state before its inner executor's work. (A
    // moved-from tracked executor counts no work.)
    const Tracked work(std::move(self->work_));
    boost::asio::post(work, [self = std::move(self), error, value = std::move(value)]() mutable {
      // On the handler's executor, where its slot is emitted: cleared before the handler
      // runs.
      boost::asio::get_associated_cancellation_slot(self->handler_).clear();
      Handler handler = std::move(self->handler_);
      self.reset();
      std::move(handler)(error, std::move(value));
    });
  }  // `work` ends here

 private:
  Tracked work_;
  Handler handler_;
  OAuthException* diagnostics_;
  std::shared_ptr<Cancellation> cancellation_;
};

// The initiation async_initiate calls with the handler: `start(done, cancellation)` sends
// the request through the client's callback API.
template <class T>
struct Initiate {
  template <class Handler, class Start>
  void operator()(Handler&& handler, Start start, OAuthException* diagnostics) const {
    using Op = Operation<T, std::decay_t<Handler>>;
    auto operation = std::make_unique<Op>(std::forward<Handler>(handler), diagnostics);
    const std::shared_ptr<Cancellation> cancellation = operation->cancellation();
    // The client calls back exactly once: the operation is owned by that call from here on.
    auto shared = std::make_shared<std::unique_ptr<Op>>(std::move(operation));
    start([shared](Result<T> result) { Op::complete(std::move(*shared), std::move(result)); },
          cancellation);
  }
};

template <class T, class Token, class Start>
auto initiate(Token&& token, Start start, OAuthException* diagnostics) {
  return boost::asio::async_initiate<Token, void(boost::system::error_code, T)>(
      Initiate<T>{}, token, std::move(start), diagnostics);
}

}  // namespace detail::asio

namespace detail::asio {

// What each initiating function starts: the client's callback call, given the completion and
// the operation's Cancellation.
inline auto exchange_starter(const TokenExchanger& exchanger, std::string code) {
  return [&exchanger, code = std::move(code)](TokenExchanger::Callback done,
                                              std::shared_ptr<Cancellation> cancellation) {
    exchanger.exchange_async(code, std::move(done), std::move(cancellation));
  };
}
inline auto long_lived_starter(const TokenExchanger& exchanger, std::string short_lived) {
  return [&exchanger, short_lived = std::move(short_lived)](
             TokenExchanger::Callback done, std::shared_ptr<Cancellation> cancellation) {
    exchanger.exchange_for_long_lived_async(short_lived, std::move(done), std::move(cancellation));
  };
}
inline auto refresh_starter(const TokenExchanger& exchanger, std::string long_lived) {
  return [&exchanger, long_lived = std::move(long_lived)](
             TokenExchanger::Callback done, std::shared_ptr<Cancellation> cancellation) {
    exchanger.refresh_async(long_lived, std::move(done), std::move(cancellation));
  };
}
inline auto me_starter(const ProfileClient& profiles, std::string access_token) {
  return [&profiles, access_token = std::move(access_token)](
             ProfileClient::Callback done, std::shared_ptr<Cancellation> cancellation) {
    profiles.me_async(access_token, std::move(done), std::move(cancellation));
  };
}
// fresh() waits on the store: it runs on a thread of Asio's system executor.
inline auto fresh_starter(const TokenRefresher& refresher, std::string user_id) {
  return [&refresher, user_id = std::move(user_id)](std::function<void(Result<StoredToken>)> done,
                                                    std::shared_ptr<Cancellation> cancellation) {
    boost::asio::post(boost::asio::system_executor(), [&refresher, user_id, done = std::move(done),
                                                       cancellation = std::move(cancellation)] {
      if (cancellation->cancelled()) {
        done(OAuthException(ErrorCategory::cancelled, "cancelled before the store was asked"));
      } else {
        done(refresher.fresh(user_id));
      }
    });
  };
}

// An executor's io_context as the curl transport's EventLoop: libcurl's sockets waited for
// by stream_descriptors that are released, never closed (libcurl owns them), its timer a
// steady_timer, everything on one strand, so that a context run by several threads still
// drives the engine one call at a time.
class Loop final : public EventLoop, public std::enable_shared_from_this<Loop> {
 public:
  explicit Loop(const boost::asio::any_io_executor& executor)
      : strand_(boost::asio::make_strand(executor)),
        timer_(strand_),
        context_(context_of(executor)) {}
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  ~Loop() override {
    for (auto& [socket, watched] : sockets_) watched->descriptor.release();
  }

  void drive(Driven* transport) override {
    driven_ = transport;
    if (transport != nullptr) return;
    for (auto& [socket, watched] : sockets_) release(*watched);
    sockets_.clear();
    ++timer_generation_;
    timer_.cancel();
  }

  void post(std::function<void()> work) override { boost::asio::post(strand_, std::move(work)); }

  void watch(int socket, std::optional<Wait> wait) override {
    const auto found = sockets_.find(socket);
    if (!wait) {
      if (found == sockets_.end()) return;
      release(*found->second);
      sockets_.erase(found);
      return;
    }
    std::shared_ptr<Watched> watched;
    if (found != sockets_.end()) {
      watched = found->second;
    } else {
      watched = std::make_shared<Watched>(strand_, socket);
      sockets_.emplace(socket, watched);
    }
    watched->wait = *wait;
    arm(watched);
  }

  void schedule(std::optional<std::chrono::milliseconds> delay) override {
    const std::uint64_t generation = ++timer_generation_;
    if (!delay) {
      timer_.cancel();
      return;
    }
    timer_.expires_after(*delay);
    timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code error) {
      if (error || generation != self->timer_generation_ || self->driven_ == nullptr) return;
      self->driven_->timer_expired();
    });
  }

  // In the strand, or on any thread that runs the context (there a wait would hold up what
  // it waits for, or the context's other work).
  bool runs_here() const override {
    return strand_.running_in_this_thread() || (context_ && context_->running_in_this_thread());
  }

 private:
  struct Watched {
    Watched(const boost::asio::strand<boost::asio::any_io_executor>& strand, int socket)
        : descriptor(strand, socket) {}
    boost::asio::posix::stream_descriptor descriptor;
    Wait wait = Wait::read;
    bool reading = false;  // a wait for reading is out
    bool writing = false;
    bool released = false;
  };

  using ContextExecutor = boost::asio::io_context::executor_type;

  // The io_context under `executor` (itself, or a strand of it), when it is one.
  static std::optional<ContextExecutor> context_of(const boost::asio::any_io_executor& executor) {
    if (const auto* plain = executor.target<ContextExecutor>()) return *plain;
    if (const auto* strand = executor.target<boost::asio::strand<ContextExecutor>>()) {
      return strand->get_inner_executor();
    }
    return std::nullopt;
  }

  static void release(Watched& watched) {
    watched.released = true;
    watched.descriptor.release();  // its waits complete as aborted
  }

  // Starts the waits `watched` asks for that are not out yet.
  void arm(const std::shared_ptr<Watched>& watched) {
    if (watched->wait != Wait::write) {
      start_wait(watched, &Watched::reading, boost::asio::posix::stream_descriptor::wait_read);
    }
    if (watched->wait != Wait::read) {
      start_wait(watched, &Watched::writing, boost::asio::posix::stream_descriptor::wait_write);
    }
  }

  // One wait of `type`, unless one is out (`watched->*out`).
  void start_wait(const std::shared_ptr<Watched>& watched, bool Watched::*out,
                  boost::asio::posix::stream_descriptor::wait_type type) {
    if ((*watched).*out) return;
    (*watched).*out = true;
    watched->descriptor.async_wait(
        type, [self = shared_from_this(), watched, out](boost::system::error_code error) {
          (*watched).*out = false;
          self->ready(watched, error);
        });
  }

  // A wait completed: reported (libcurl looks at the socket itself, also after an error),
  // then waited for again while libcurl still asks.
  void ready(const std::shared_ptr<Watched>& watched, boost::system::error_code error) {
    if (watched->released || error == boost::asio::error::operation_aborted || driven_ == nullptr) {
      return;
    }
    driven_->socket_ready(watched->descriptor.native_handle());
    if (!watched->released) arm(watched);
  }

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::uint64_t timer_generation_ = 0;  // a timer's completion from before counts for nothing
  std::unordered_map<int, std::shared_ptr<Watched>> sockets_;
  Driven* driven_ = nullptr;
  std::optional<ContextExecutor> context_;  // the executor's io_context, when it has one
};

}  // namespace detail::asio

/// The curl transport (make_curl_transport()) driven by `executor`'s io_context instead of a
/// thread of its own: libcurl's sockets and timer are waited for by the context, and the
/// transport's work and callbacks run there, on a strand of `executor`. With the functions
/// below, a coroutine's request and its answer then never change threads. POSIX only
/// (libcurl's sockets are watched as descriptors). Destroy it before the context; a call
/// that blocks (TokenExchanger::exchange()) from the context's threads is refused, as in
/// make_curl_transport(options, loop). Thread-safe as the transport it makes.
///
/// @code
/// boost::asio::io_context context;
/// const auto transport = make_curl_transport(context.get_executor(), options);
/// const TokenExchanger exchanger = TokenExchanger::create(app, transport).value();
/// @endcode
inline std::shared_ptr<HttpTransport> make_curl_transport(
    const boost::asio::any_io_executor& executor, const ClientOptions& options = {}) {
  return make_curl_transport(options, std::make_shared<detail::asio::Loop>(executor));
}

/// @{
/// TokenExchanger::exchange_async in the event loop: the code traded for a short-lived token.
/// Errors as TokenExchanger's, and operation_aborted when cancelled before it was sent.
template <class Token>
auto async_exchange(const TokenExchanger& exchanger, std::string code, OAuthException& diagnostics,
                    Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token), detail::asio::exchange_starter(exchanger, std::move(code)),
      &diagnostics);
}
template <class Token>
auto async_exchange(const TokenExchanger& exchanger, std::string code, Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token), detail::asio::exchange_starter(exchanger, std::move(code)),
      nullptr);
}
template <class Token>
auto async_exchange(const TokenExchanger& exchanger, const AuthorizationCode& code,
                    OAuthException& diagnostics, Token&& token) {
  return async_exchange(exchanger, code.code, diagnostics, std::forward<Token>(token));
}
template <class Token>
auto async_exchange(const TokenExchanger& exchanger, const AuthorizationCode& code, Token&& token) {
  return async_exchange(exchanger, code.code, std::forward<Token>(token));
}
/// @}

/// @{
/// TokenExchanger::exchange_for_long_lived_async in the event loop: a 60-day token.
template <class Token>
auto async_exchange_for_long_lived(const TokenExchanger& exchanger, std::string short_lived,
                                   OAuthException& diagnostics, Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token),
      detail::asio::long_lived_starter(exchanger, std::move(short_lived)), &diagnostics);
}
template <class Token>
auto async_exchange_for_long_lived(const TokenExchanger& exchanger, std::string short_lived,
                                   Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token),
      detail::asio::long_lived_starter(exchanger, std::move(short_lived)), nullptr);
}
/// @}

/// @{
/// TokenExchanger::refresh_async in the event loop: a long-lived token renewed.
template <class Token>
auto async_refresh(const TokenExchanger& exchanger, std::string long_lived,
                   OAuthException& diagnostics, Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token), detail::asio::refresh_starter(exchanger, std::move(long_lived)),
      &diagnostics);
}
template <class Token>
auto async_refresh(const TokenExchanger& exchanger, std::string long_lived, Token&& token) {
  return detail::asio::initiate<AccessToken>(
      std::forward<Token>(token), detail::asio::refresh_starter(exchanger, std::move(long_lived)),
      nullptr);
}
/// @}

/// @{
/// ProfileClient::me_async in the event loop: who signed in.
template <class Token>
auto async_me(const ProfileClient& profiles, std::string access_token, OAuthException& diagnostics,
              Token&& token) {
  return detail::asio::initiate<UserProfile>(
      std::forward<Token>(token), detail::asio::me_starter(profiles, std::move(access_token)),
      &diagnostics);
}
template <class Token>
auto async_me(const ProfileClient& profiles, std::string access_token, Token&& token) {
  return detail::asio::initiate<UserProfile>(
      std::forward<Token>(token), detail::asio::me_starter(profiles, std::move(access_token)),
      nullptr);
}
/// @}

/// @{
/// TokenRefresher::fresh in the event loop: the user's stored token, refreshed first when due.
/// fresh() waits on the store, so it runs on a thread of Asio's system executor, never on the
/// caller's; cancelled before it starts, it completes with operation_aborted and nothing is
/// read or sent; after that it completes as fresh() ends. Errors as fresh()'s.
template <class Token>
auto async_fresh(const TokenRefresher& refresher, std::string user_id, OAuthException& diagnostics,
                 Token&& token) {
  return detail::asio::initiate<StoredToken>(
      std::forward<Token>(token), detail::asio::fresh_starter(refresher, std::move(user_id)),
      &diagnostics);
}
template <class Token>
auto async_fresh(const TokenRefresher& refresher, std::string user_id, Token&& token) {
  return detail::asio::initiate<StoredToken>(
      std::forward<Token>(token), detail::asio::fresh_starter(refresher, std::move(user_id)),
      nullptr);
}
/// @}

}  // namespace instagram::oauth

/// @cond
// So that an error code compares with an ErrorCategory: `error == ErrorCategory::api`.
namespace boost::system {
template <>
struct is_error_code_enum<instagram::oauth::ErrorCategory> : std::true_type {};
}  // namespace boost::system
/// @endcond
