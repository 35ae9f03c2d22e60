// The translation between headrace::Status and grpc::Status, for both ends of every call.
//
// headrace's StatusCode values are gRPC's canonical codes with the same numbers, so the
// mapping is a table and loses nothing: code and message round-trip unchanged. A gRPC
// code outside the table (a newer peer) becomes UNKNOWN with the message kept.
// This header includes gRPC: include it only from .cc files (of rpc/, server/, the clients)
// and tests.
// Pure functions, safe from any thread.
#pragma once

#include <grpcpp/support/status.h>

#include "headrace/core/status.h"

namespace headrace::rpc {

grpc::Status ToGrpcStatus(const Status& status);
Status FromGrpcStatus(const grpc::Status& status);

}  // namespace headrace::rpc
