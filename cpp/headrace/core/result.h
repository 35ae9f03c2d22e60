// Result<T>: either a value of type T or an error Status, never both.
//
// Returned by functions that produce a value and can fail. Read it with ok() / status()
// / value(), or propagate with ASSIGN_OR_RETURN. Calling value() on an error is a bug and
// aborts with the status in the message (it is never a silent default).
#pragma once

#include <cstdlib>
#include <iostream>
#include <optional>
#include <type_traits>
#include <utility>

#include "headrace/core/status.h"

namespace headrace {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "use Status, not Result<Status>");

 public:
  // An error; `status` must not be OK.
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) {
      status_ = Status::Internal("Result constructed from an OK Status without a value");
    }
  }
  // A value.
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  // OK when a value is held.
  const Status& status() const { return status_; }

  const T& value() const& {
    CheckOk();
    return *value_;
  }
  T& value() & {
    CheckOk();
    return *value_;
  }
  // On a temporary Result the value is moved out and returned by value, so that
  // `for (auto x : *MakeVector())` does not iterate a destroyed Result's vector.
  T value() && {
    CheckOk();
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The value, or `fallback` on error.
  T ValueOr(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  void CheckOk() const {
    if (!ok()) {
      std::cerr << "headrace: value() called on an error Result: " << status_ << std::endl;
      std::abort();
    }
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace headrace

#define HEADRACE_CONCAT_INNER(a, b) a##b
#define HEADRACE_CONCAT(a, b) HEADRACE_CONCAT_INNER(a, b)

#define HEADRACE_ASSIGN_OR_RETURN_IMPL(result_name, lhs, rexpr) \
  auto result_name = (rexpr);                                   \
  if (!result_name.ok()) return result_name.status();           \
  lhs = std::move(result_name).value()

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the value or returns the error.
#define HEADRACE_ASSIGN_OR_RETURN(lhs, rexpr) \
  HEADRACE_ASSIGN_OR_RETURN_IMPL(HEADRACE_CONCAT(headrace_result_, __LINE__), lhs, rexpr)

#define ASSIGN_OR_RETURN(lhs, rexpr) HEADRACE_ASSIGN_OR_RETURN(lhs, rexpr)
