// What a headrace server and its clients agree on besides the protos: where a server is
// by default, how large a message may be, and the metadata keys calls carry.
//
// gRPC-free constants, included by the clients (cache/, channel/, rpc/), the server
// (server/) and the bindings alike, so that each value is written once.
#pragma once

#include <chrono>
#include <cstdint>

namespace headrace::rpc {

// Where headrace-server listens, and where clients look for it, unless told otherwise
// (HEADRACE_CACHE_HOST / HEADRACE_CACHE_PORT in Python and for the server's flags).
inline constexpr char kDefaultHost[] = "127.0.0.1";
inline constexpr int kDefaultPort = 50052;

// The largest gRPC message either side accepts: room for batches of rows. A larger
// request is refused with RESOURCE_EXHAUSTED and the server goes on serving.
inline constexpr int64_t kMaxMessageBytes = int64_t{256} << 20;

// The metadata key of the token every request carries when the server has one.
inline constexpr char kTokenMetadataKey[] = "headrace-token";

// The metadata key with which a local client's calls name the server process whose
// shared-memory store it maps (GetSegment's pid). A server that is not that process
// (restarted since) refuses them with FAILED_PRECONDITION: offsets of another store would
// name the wrong blocks.
inline constexpr char kSegmentPidMetadataKey[] = "headrace-segment-pid";

// How long a client's first call waits for a server that is starting, by default.
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout{1000};

}  // namespace headrace::rpc
