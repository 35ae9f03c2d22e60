// CheckSegment: whether a call that names shared-memory offsets comes from a client that
// maps THIS server's store (metadata kSegmentPidMetadataKey, see rpc/wire.h).
//
// Used by every handler that takes or lends offsets (the cache's WriteRows and ReadRows,
// the channel's Put and Get): after a restart, a client still mapping the old store must
// be refused before any offset is used.
// This header includes gRPC: include it only from cpp/headrace/server/*.cc and tests.
// Pure function, safe from any thread.
#pragma once

#include <grpcpp/grpcpp.h>

namespace headrace::server {

// FAILED_PRECONDITION when the call names another server process; OK when it names this
// one or says nothing (a remote client).
grpc::Status CheckSegment(const grpc::ServerContextBase& context);

}  // namespace headrace::server
