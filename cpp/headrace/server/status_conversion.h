// The translation between headrace::Status and grpc::Status (server/ only).
//
// headrace's StatusCode values are gRPC's canonical codes with the same numbers, so the
// mapping is a table and loses nothing: code and message round-trip unchanged. A gRPC
// code outside the table (a newer peer) becomes UNKNOWN with the message kept.
// This header includes gRPC; include it only from cpp/headrace/server/*.cc and tests.
// Pure functions, safe from any thread.
#pragma once

#include <grpcpp/support/status.h>

#include "headrace/core/status.h"

namespace headrace::server {

grpc::Status ToGrpcStatus(const Status& status);
Status FromGrpcStatus(const grpc::Status& status);

}  // namespace headrace::server
