// result<T>: a value or an error, for every place where failure is expected (bad input, upstream
// errors, timeouts). Exceptions stay for startup misconfiguration and broken invariants.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace warroom {

/// An expected failure: a short machine word (`code`) and a human sentence (`message`).
/// Messages must never contain secrets.
struct error {
  std::string code;
  std::string message;
  friend bool operator==(const error&, const error&) = default;
};

/// Holds either a T or an error. Cheap to move; no exceptions on access in release builds, so
/// callers check has_value() first.
template <class T, class E = error>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(E err) : state_(std::in_place_index<1>, std::move(err)) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return assert(has_value()), std::get<0>(state_); }
  const T& value() const& { return assert(has_value()), std::get<0>(state_); }
  T&& value() && { return assert(has_value()), std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& { return assert(!has_value()), std::get<1>(state_); }
  E&& error() && { return assert(!has_value()), std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

/// result<void>: success or an error.
template <class E>
class [[nodiscard]] result<void, E> {
 public:
  result() = default;
  result(E err) : error_(std::move(err)), ok_(false) {}

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const E& error() const& { return assert(!ok_), error_; }

 private:
  E error_{};
  bool ok_ = true;
};

inline error make_error(std::string code, std::string message) {
  return error{std::move(code), std::move(message)};
}

}  // namespace warroom
