#include "headrace/core/status.h"

namespace headrace {

namespace {
const std::string& EmptyString() {
  static const std::string* empty = new std::string();
  return *empty;
}

const std::shared_ptr<const StatusDetail>& NoDetail() {
  static const auto* none = new std::shared_ptr<const StatusDetail>();
  return *none;
}
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kCancelled: return "CANCELLED";
    case StatusCode::kUnknown: return "UNKNOWN";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kAborted: return "ABORTED";
    case StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case StatusCode::kInternal: return "INTERNAL";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Status::Status(StatusCode code, std::string message)
    : Status(code, std::move(message), nullptr) {}

Status::Status(StatusCode code, std::string message,
               std::shared_ptr<const StatusDetail> detail) {
  if (code != StatusCode::kOk) {
    state_ = std::make_unique<State>(State{code, std::move(message), std::move(detail)});
  }
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  }
  return *this;
}

const std::string& Status::message() const { return ok() ? EmptyString() : state_->message; }

const std::shared_ptr<const StatusDetail>& Status::detail() const {
  return ok() ? NoDetail() : state_->detail;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return Status();
  return Status(state_->code, context + ": " + state_->message, state_->detail);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(state_->code));
  out += ": ";
  out += state_->message;
  return out;
}

std::ostream& operator<<(std::ostream& os, const Status& status) {
  return os << status.ToString();
}

}  // namespace headrace
