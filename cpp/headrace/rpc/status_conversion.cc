#include "headrace/rpc/status_conversion.h"

#include <array>
#include <utility>

namespace headrace::rpc {

namespace {

struct CodePair {
  StatusCode headrace;
  grpc::StatusCode grpc;
};

// One row per code, dense and in numeric order: kCodeTable[n] is code n on both sides.
// An explicit table (not a cast) so that the compiler checks every pairing below.
constexpr std::array<CodePair, kMaxStatusCode + 1> kCodeTable = {{
    {StatusCode::kOk, grpc::StatusCode::OK},
    {StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
    {StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
    {StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
    {StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
    {StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
    {StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
    {StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
    {StatusCode::kResourceExhausted, grpc::StatusCode::RESOURCE_EXHAUSTED},
    {StatusCode::kFailedPrecondition, grpc::StatusCode::FAILED_PRECONDITION},
    {StatusCode::kAborted, grpc::StatusCode::ABORTED},
    {StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
    {StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
    {StatusCode::kInternal, grpc::StatusCode::INTERNAL},
    {StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
    {StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
    {StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
}};

constexpr bool TableIsIdentity() {
  for (size_t i = 0; i < kCodeTable.size(); ++i) {
    if (static_cast<size_t>(kCodeTable[i].headrace) != i ||
        static_cast<size_t>(kCodeTable[i].grpc) != i) {
      return false;
    }
  }
  return true;
}
static_assert(TableIsIdentity(),
              "headrace::StatusCode must equal gRPC's canonical codes, row n being code n");

}  // namespace

grpc::Status ToGrpcStatus(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto index = static_cast<size_t>(status.code());
  const grpc::StatusCode code =
      index < kCodeTable.size() ? kCodeTable[index].grpc : grpc::StatusCode::UNKNOWN;
  return grpc::Status(code, status.message());
}

Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return Status::OK();
  const auto index = static_cast<size_t>(status.error_code());
  const StatusCode code =
      index < kCodeTable.size() ? kCodeTable[index].headrace : StatusCode::kUnknown;
  return Status(code, status.error_message());
}

}  // namespace headrace::rpc
