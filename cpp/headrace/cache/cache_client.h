// CacheClient: what the engine's cache ops (CacheLookupSampler, CacheMergeOp,
// StreamCacheOp, CacheWriter) and the bindings need of headrace-server's cache service
// (proto/headrace/v1/cache.proto): sessions, caches, and rows by id.
//
// An interface, so that the ops can be tested against an in-memory fake
// (tests/cpp/cache/fake_cache_client.h); the real client is GrpcCacheClient
// (grpc_cache_client.h), which says how rows travel (shared memory or bytes).
//
// Errors: calls return the server's status (NotFound, InvalidArgument, ResourceExhausted,
// Unauthenticated), Unavailable when the server has gone, Cancelled after CancelCalls.
// The cache ops treat any error of Lookup, ReadRows, WriteRows or SetComplete as the
// server's failure and carry on without the cache (see each op's header).
// Threading: every method may be called from several threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor_row.h"

namespace headrace::cache {

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
  virtual ~CacheClient() = default;
  CacheClient(const CacheClient&) = delete;
  CacheClient& operator=(const CacheClient&) = delete;

  // "host:port" of the server (warnings name it).
  virtual const std::string& address() const = 0;
  // True when rows travel through the server's shared-memory store.
  virtual bool is_local() const = 0;

  virtual Result<uint32_t> CreateSession() = 0;
  virtual Result<ServerCacheStatistics> ListSessions() = 0;
  virtual Status DropSession(uint32_t session_id) = 0;

  // The cache of (session, crc), made on first use. `memory_limit` 0: up to the server's.
  virtual Result<OpenedCache> OpenCache(uint32_t session_id, uint64_t crc,
                                        const std::string& description, int64_t memory_limit,
                                        bool spilling) = 0;
  // One flag per id, in order.
  virtual Result<std::vector<bool>> Lookup(uint64_t cache_id,
                                           const std::vector<int64_t>& row_ids) = 0;
  // Writes (row id, row) pairs (data rows only: InvalidArgument otherwise). Rows the
  // server refuses (no room, cached already, the cache is complete) are counted, not
  // errors.
  virtual Result<WriteResult> WriteRows(
      uint64_t cache_id, const std::vector<std::pair<int64_t, TensorRow>>& rows) = 0;
  // The rows of `row_ids`, in order; std::nullopt for a row the cache does not hold.
  // Read rows carry their row id as TensorRow::id().
  virtual Result<std::vector<std::optional<TensorRow>>> ReadRows(
      uint64_t cache_id, const std::vector<int64_t>& row_ids) = 0;
  // A pass of `rows` rows was written; true when the cache holds them all (complete).
  virtual Result<bool> SetComplete(uint64_t cache_id, int64_t rows) = 0;

  // Ends every call in flight now (they return Cancelled): a pipeline being stopped must
  // not wait for a server that does not answer. Calls made later are not affected.
  virtual void CancelCalls() = 0;

 protected:
  CacheClient() = default;
};

}  // namespace headrace::cache
