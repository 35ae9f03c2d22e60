// StatusCode: the error codes of headrace.
//
// They are gRPC's canonical codes, with the same numbers, so that the server maps a
// Status to a grpc::Status by table and the bindings map it to a Python exception by
// table (see bindings/register_errors.cc).
#pragma once

#include <string_view>

namespace headrace {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// The largest code; codes are dense from kOk to kMaxStatusCode.
inline constexpr int kMaxStatusCode = static_cast<int>(StatusCode::kUnauthenticated);

// The canonical upper-case name, e.g. "INVALID_ARGUMENT".
std::string_view StatusCodeName(StatusCode code);

}  // namespace headrace
