// Status: the outcome of an operation that returns no value.
//
// An OK status costs one null pointer; an error carries a StatusCode and a message.
// Functions return [[nodiscard]] Status (or Result<T>, see result.h) instead of throwing;
// the two places where a Status leaves C++ are bindings/ (a Python exception) and
// server/ (a grpc::Status). Status is a value type: copy it, move it, compare its code.
// It is not synchronised; share one between threads only through a lock or a queue.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "headrace/core/status_code.h"

namespace headrace {

// Typed information an error may carry across layers, beyond code and message: e.g. the
// Python exception that user code raised on a worker thread, kept so that the iterating
// thread re-raises that very exception (see bindings/python_error.h). Immutable; copies
// of a Status share it. Its destructor may run on any thread.
class StatusDetail {
 public:
  virtual ~StatusDetail() = default;
  // A constant naming the kind of detail, checked before a downcast.
  virtual const char* type_id() const = 0;
  virtual std::string ToString() const = 0;
};

class [[nodiscard]] Status {
 public:
  // OK.
  Status() noexcept = default;
  // An error with `code` and `message`; `code` kOk gives OK and drops the message.
  Status(StatusCode code, std::string message);
  // An error with a detail (see StatusDetail).
  Status(StatusCode code, std::string message, std::shared_ptr<const StatusDetail> detail);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Unknown(std::string msg) { return {StatusCode::kUnknown, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status DeadlineExceeded(std::string msg) {
    return {StatusCode::kDeadlineExceeded, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status Unimplemented(std::string msg) {
    return {StatusCode::kUnimplemented, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unavailable(std::string msg) {
    return {StatusCode::kUnavailable, std::move(msg)};
  }
  static Status DataLoss(std::string msg) { return {StatusCode::kDataLoss, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  // Empty for OK.
  const std::string& message() const;
  // Null for OK and for errors without one.
  const std::shared_ptr<const StatusDetail>& detail() const;

  // The same code and detail with `context + ": "` put in front of the message; OK stays OK.
  // Used where an error crosses a layer that knows more (a file name, an op name).
  Status WithContext(const std::string& context) const;

  // "INVALID_ARGUMENT: batch_size must be positive, got 0", or "OK".
  std::string ToString() const;

  // Marks a Status as deliberately dropped, so [[nodiscard]] stays useful elsewhere.
  void IgnoreError() const {}

 private:
  struct State {
    StatusCode code;
    std::string message;
    std::shared_ptr<const StatusDetail> detail;
  };
  std::unique_ptr<State> state_;
};

std::ostream& operator<<(std::ostream& os, const Status& status);

}  // namespace headrace

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define HEADRACE_RETURN_IF_ERROR(expr)                  \
  do {                                                  \
    ::headrace::Status headrace_status_ = (expr);       \
    if (!headrace_status_.ok()) return headrace_status_; \
  } while (false)

#define RETURN_IF_ERROR(expr) HEADRACE_RETURN_IF_ERROR(expr)
