// CacheClient: a pipeline's (or an admin tool's) connection to headrace-server's cache
// service (proto/headrace/v1/cache.proto).
//
// A client on the server's machine maps the server's shared-memory store: rows it writes
// are serialised straight into blocks of the store (only their offsets travel over gRPC),
// and rows it reads are tensors viewing the store, without a copy (each holds a reference
// on its block, released when the last tensor goes). A remote client, or a local one when
// the store is full, sends and receives the bytes over gRPC. Whether a client is local is
// decided at Connect: the server answers GetSegment and the client can open the segment.
//
// This header is gRPC-free (pimpl): the engine's cache ops and the bindings include it.
// Errors: Connect returns Unavailable within the connect timeout when no server answers,
// naming host:port and saying how to start one ("headrace cache start"); later calls return
// the server's status (NotFound, InvalidArgument, ResourceExhausted, Unauthenticated) or
// Unavailable when the server has gone.
// Threading: every method may be called from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor_row.h"
#include "headrace/rpc/connection_options.h"

namespace headrace::cache {

// Where the server is (host, port, token, connect_timeout, use_shared_memory), and:
struct CacheClientOptions : rpc::ConnectionOptions {
  // Longest wait for one call; a hung server then counts as gone.
  std::chrono::milliseconds call_timeout{30000};
};

// One cache, as ListSessions reports it (mirrors v1.CacheInfo).
struct CacheStatistics {
  uint32_t session_id = 0;
  uint64_t crc = 0;
  uint64_t cache_id = 0;
  std::string description;
  int64_t rows_in_memory = 0;
  int64_t bytes_in_memory = 0;
  int64_t rows_on_disk = 0;
  int64_t bytes_on_disk = 0;
  int64_t rows_refused = 0;
  int64_t hits = 0;
  int64_t misses = 0;
  int32_t clients = 0;
  bool complete = false;
};

struct SessionStatistics {
  uint32_t session_id = 0;
  std::vector<CacheStatistics> caches;
};

struct ServerCacheStatistics {
  std::vector<SessionStatistics> sessions;
  int64_t memory_capacity = 0;
  int64_t memory_used = 0;
  std::string spill_dir;
};

struct OpenedCache {
  uint64_t cache_id = 0;
  bool complete = false;
  int64_t rows = 0;
};

struct WriteResult {
  int64_t admitted = 0;
  int64_t refused = 0;
};

class CacheClient {
 public:
  static Result<std::unique_ptr<CacheClient>> Connect(const CacheClientOptions& options);
  ~CacheClient();
  CacheClient(const CacheClient&) = delete;
  CacheClient& operator=(const CacheClient&) = delete;

  // "host:port".
  const std::string& address() const;
  // True when rows travel through the server's shared-memory store.
  bool is_local() const;

  Result<uint32_t> CreateSession();
  Result<ServerCacheStatistics> ListSessions();
  Status DropSession(uint32_t session_id);

  Result<OpenedCache> OpenCache(uint32_t session_id, uint64_t crc, const std::string& description,
                                int64_t memory_limit, bool spilling);
  // One flag per id, in order.
  Result<std::vector<bool>> Lookup(uint64_t cache_id, const std::vector<int64_t>& row_ids);
  // Writes (row id, row) pairs. Rows the server refuses are counted, not errors.
  Result<WriteResult> WriteRows(uint64_t cache_id,
                                const std::vector<std::pair<int64_t, TensorRow>>& rows);
  // The rows of `row_ids`, in order; std::nullopt for a row the cache does not hold.
  // Read rows carry their row id as TensorRow::id().
  Result<std::vector<std::optional<TensorRow>>> ReadRows(uint64_t cache_id,
                                                         const std::vector<int64_t>& row_ids);
  // A pass of `rows` rows was written; true when the cache holds them all (complete).
  Result<bool> SetComplete(uint64_t cache_id, int64_t rows);

  // Ends every call in flight now (they return Cancelled): a pipeline being stopped must
  // not wait for a server that does not answer. Calls made later are not affected.
  void CancelCalls();

 private:
  struct Rep;
  explicit CacheClient(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::cache
