/// @file
/// `Result<T>`: a value or an OAuthException, with the interface of std::expected.
#pragma once

#include <instagram/oauth/error.hpp>

#include <cassert>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace instagram::oauth {

/// A value or an OAuthException, with the interface of std::expected; [[nodiscard]], so
/// that ignoring one is a compiler warning (as abseil's StatusOr). Not thread-safe to
/// modify; const access from several threads is.
///
/// @code
/// Result<AccessToken> token = exchanger.exchange(code);
/// if (!token) return report(token.error());      // a category and a line, no secret
/// save(token->access_token);
/// Result<std::string> name = exchanger.exchange(other_code)
///     .and_then([&](const AccessToken& t) { return profiles.me(t.access_token); })
///     .transform([](const UserProfile& p) { return p.username; });
/// @endcode
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T> holds values");
  static_assert(!std::is_same_v<std::decay_t<T>, OAuthException>, "Result<OAuthException>");

 public:
  using value_type = T;               ///< as std::expected's
  using error_type = OAuthException;  ///< as std::expected's

  /// @{
  /// A value: implicit, so that a function returning a Result returns the value itself.
  Result(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>)  // NOLINT: implicit
      : storage_(std::in_place_index<0>, value) {}
  Result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit
      : storage_(std::in_place_index<0>, std::move(value)) {}
  /// @}
  /// Anything that converts to T implicitly, e.g. a Result<std::string> from a const char*:
  /// forwarded to T's constructor (explicit constructors of T stay explicit).
  template <class U,
            class = std::enable_if_t<
                std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, Result> &&
                !std::is_same_v<std::decay_t<U>, T> && !std::is_convertible_v<U&&, OAuthException>>>
  Result(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>)  // NOLINT: implicit
      : storage_(std::in_place_index<0>, std::forward<U>(value)) {}
  /// An error: implicit, as std::unexpected converts.
  Result(OAuthException error) noexcept  // NOLINT: implicit
      : storage_(std::in_place_index<1>, std::move(error)) {}

  /// @{
  /// Whether it holds a value (`bool` and has_value()) or an error.
  bool has_value() const noexcept { return storage_.index() == 0; }
  bool has_error() const noexcept { return storage_.index() == 1; }
  explicit operator bool() const noexcept { return has_value(); }
  /// @}

  /// @{
  /// The value, or the held OAuthException thrown.
  T& value() & {
    throw_if_error();
    return *std::get_if<0>(&storage_);
  }
  const T& value() const& {
    throw_if_error();
    return *std::get_if<0>(&storage_);
  }
  T&& value() && {
    throw_if_error();
    return std::move(*std::get_if<0>(&storage_));
  }
  /// @}

  /// Precondition: has_error(), asserted in debug builds (as Boost's system::result).
  const OAuthException& error() const noexcept {
    assert(has_error() && "Result::error() on a Result that holds a value");
    return *std::get_if<1>(&storage_);
  }

  /// @{
  /// The value. Precondition: has_value(), asserted in debug builds.
  T& operator*() & noexcept { return *get(); }
  const T& operator*() const& noexcept { return *get(); }
  T&& operator*() && noexcept { return std::move(*get()); }
  T* operator->() noexcept { return get(); }
  const T* operator->() const noexcept { return get(); }
  /// @}

  /// @{
  /// As std::expected's monadic operations. and_then: f(value) returns a `Result<U>`,
  /// called only with a value; transform: f(value) returns a U (or void), wrapped; or_else:
  /// f(error) returns a `Result<T>`, called only with an error. The error passes through.
  template <class F>
  auto and_then(F&& f) const& {
    using Next = std::invoke_result_t<F, const T&>;
    if (has_value()) return std::invoke(std::forward<F>(f), *get());
    return Next(error());
  }
  template <class F>
  auto and_then(F&& f) && {
    using Next = std::invoke_result_t<F, T&&>;
    if (has_value()) return std::invoke(std::forward<F>(f), std::move(*get()));
    return Next(error());
  }
  template <class F>
  auto transform(F&& f) const& {
    return transformed<std::invoke_result_t<F, const T&>>(std::forward<F>(f), *this);
  }
  template <class F>
  auto transform(F&& f) && {
    return transformed<std::invoke_result_t<F, T&&>>(std::forward<F>(f), std::move(*this));
  }
  template <class F>
  Result or_else(F&& f) const& {
    if (has_value()) return *this;
    return std::invoke(std::forward<F>(f), error());
  }
  template <class F>
  Result or_else(F&& f) && {
    if (has_value()) return std::move(*this);
    return std::invoke(std::forward<F>(f), error());
  }
  /// @}

  /// @{
  /// The value, or `fallback` converted to T.
  template <class U>
  T value_or(U&& fallback) const& {
    if (has_value()) return *std::get_if<0>(&storage_);
    return static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  T value_or(U&& fallback) && {
    if (has_value()) return std::move(*std::get_if<0>(&storage_));
    return static_cast<T>(std::forward<U>(fallback));
  }
  /// @}

 private:
  template <class U, class F, class Self>
  static Result<U> transformed(F&& f, Self&& self) {
    if (!self.has_value()) return Result<U>(self.error());
    if constexpr (std::is_void_v<U>) {
      std::invoke(std::forward<F>(f), *std::forward<Self>(self));
      return Result<U>();
    } else {
      return Result<U>(std::invoke(std::forward<F>(f), *std::forward<Self>(self)));
    }
  }

  void throw_if_error() const {
    if (const auto* error = std::get_if<1>(&storage_)) throw *error;
  }
  T* get() noexcept {
    assert(has_value() && "Result: the value of a Result that holds an error");
    return std::get_if<0>(&storage_);
  }
  const T* get() const noexcept {
    assert(has_value() && "Result: the value of a Result that holds an error");
    return std::get_if<0>(&storage_);
  }

  std::variant<T, OAuthException> storage_;
};

/// Success with no value, or an OAuthException: as `std::expected<void, E>`.
///
/// @code
/// if (Result<void> saved = store->save(stored); !saved) log(saved.error().what());
/// @endcode
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;            ///< as std::expected's
  using error_type = OAuthException;  ///< as std::expected's

  Result() noexcept = default;  ///< success
  /// An error: implicit, as std::unexpected converts.
  Result(OAuthException error) noexcept  // NOLINT: implicit
      : error_(std::move(error)) {}

  /// @{
  /// Whether it succeeded (`bool` and has_value()) or holds an error.
  bool has_value() const noexcept { return !error_.has_value(); }
  bool has_error() const noexcept { return error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  /// @}

  /// Nothing on success; the held OAuthException thrown otherwise.
  void value() const {
    if (error_) throw OAuthException(*error_);
  }

  /// Precondition: has_error(), asserted in debug builds.
  const OAuthException& error() const noexcept {
    assert(has_error() && "Result::error() on a Result that holds a value");
    return *error_;
  }

  /// @{
  /// As `std::expected<void, E>`'s: and_then's f() returns a `Result<U>`; transform's f()
  /// a U (or void); or_else's f(error) a `Result<void>`.
  template <class F>
  auto and_then(F&& f) const {
    using Next = std::invoke_result_t<F>;
    if (has_value()) return std::invoke(std::forward<F>(f));
    return Next(error());
  }
  template <class F>
  auto transform(F&& f) const {
    using U = std::invoke_result_t<F>;
    if (!has_value()) return Result<U>(error());
    if constexpr (std::is_void_v<U>) {
      std::invoke(std::forward<F>(f));
      return Result<U>();
    } else {
      return Result<U>(std::invoke(std::forward<F>(f)));
    }
  }
  template <class F>
  Result or_else(F&& f) const {
    if (has_value()) return *this;
    return std::invoke(std::forward<F>(f), error());
  }
  /// @}

 private:
  std::optional<OAuthException> error_;
};

}  // namespace instagram::oauth
