// GrpcCacheClient: the CacheClient that talks to headrace-server over gRPC, for a pipeline
// or an admin tool.
//
// A client on the server's machine maps the server's shared-memory store: rows it writes
// are serialised straight into blocks of the store (only their offsets travel over gRPC),
// and rows it reads are tensors viewing the store, without a copy (each holds a reference
// on its block, released when the last tensor goes). A remote client, or a local one when
// the store is full, sends and receives the bytes over gRPC. Whether a client is local is
// decided at Connect: the server answers GetSegment and the client can open the segment.
//
// This header is gRPC-free (pimpl in grpc_cache_client.cc): the bindings include it.
// Errors: Connect returns InvalidArgument for bad options, Unauthenticated for a missing
// or wrong token, Unavailable within the connect timeout when no server answers, naming
// host:port and saying how to start one ("headrace cache start"); later calls as
// CacheClient says, a call that outlives call_timeout counting as the server gone.
// Threading: every method may be called from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headrace/cache/cache_client.h"
#include "headrace/core/result.h"
#include "headrace/rpc/connection_options.h"

namespace headrace::cache {

// Where the server is (host, port, token, connect_timeout, use_shared_memory), and:
struct CacheClientOptions : rpc::ConnectionOptions {
  // Longest wait for one call; a hung server then counts as gone.
  std::chrono::milliseconds call_timeout{30000};
};

class GrpcCacheClient final : public CacheClient {
 public:
  // The one way to reach a cache server.
  static Result<std::unique_ptr<CacheClient>> Connect(const CacheClientOptions& options);
  ~GrpcCacheClient() override;

  const std::string& address() const override;
  bool is_local() const override;

  Result<uint32_t> CreateSession() override;
  Result<ServerCacheStatistics> ListSessions() override;
  Status DropSession(uint32_t session_id) override;

  Result<OpenedCache> OpenCache(uint32_t session_id, uint64_t crc, const std::string& description,
                                int64_t memory_limit, bool spilling) override;
  Result<std::vector<bool>> Lookup(uint64_t cache_id, const std::vector<int64_t>& row_ids) override;
  // Sent in batches of about 64 MiB; a row too large for one message is refused.
  Result<WriteResult> WriteRows(uint64_t cache_id,
                                const std::vector<std::pair<int64_t, TensorRow>>& rows) override;
  // An answer too large for one message is asked for again in halves.
  Result<std::vector<std::optional<TensorRow>>> ReadRows(
      uint64_t cache_id, const std::vector<int64_t>& row_ids) override;
  Result<bool> SetComplete(uint64_t cache_id, int64_t rows) override;

  void CancelCalls() override;

 private:
  struct Rep;
  explicit GrpcCacheClient(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::cache
