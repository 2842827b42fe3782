// Result<T>: a value or an OAuthException, with the interface of std::expected.
#pragma once

#include <instagram/oauth/error.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace instagram::oauth {

template <class T>
class Result {
  static_assert(!std::is_reference_v<T>, "Result<T> holds values");
  static_assert(!std::is_same_v<std::decay_t<T>, OAuthException>, "Result<OAuthException>");

 public:
  using value_type = T;
  using error_type = OAuthException;

  Result(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>)  // NOLINT: implicit
      : storage_(std::in_place_index<0>, value) {}
  Result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit
      : storage_(std::in_place_index<0>, std::move(value)) {}
  Result(OAuthException error) noexcept  // NOLINT: implicit, as std::unexpected converts
      : storage_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // The value, or the held OAuthException thrown.
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

  // Precondition: !has_value(). Violating it returns a fixed invalid_argument error
  // rather than undefined behaviour.
  const OAuthException& error() const noexcept {
    if (const auto* error = std::get_if<1>(&storage_)) return *error;
    return no_error();
  }

  // Precondition: has_value().
  T& operator*() & noexcept { return *std::get_if<0>(&storage_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&storage_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&storage_)); }
  T* operator->() noexcept { return std::get_if<0>(&storage_); }
  const T* operator->() const noexcept { return std::get_if<0>(&storage_); }

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

 private:
  void throw_if_error() const {
    if (const auto* error = std::get_if<1>(&storage_)) throw *error;
  }
  static const OAuthException& no_error() noexcept {
    static const OAuthException error(ErrorCategory::invalid_argument,
                                      "Result::error() was called on a Result that holds a value");
    return error;
  }

  std::variant<T, OAuthException> storage_;
};

}  // namespace instagram::oauth
