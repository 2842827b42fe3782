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
/// executor's io_context running while the request is out.
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
#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/system/error_code.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
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

}  // namespace detail::asio

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
