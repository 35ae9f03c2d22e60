// CacheServiceImpl: the transport-free behaviour of headrace-server's cache service
// (service headrace.v1.Cache, proto/headrace/v1/cache.proto).
//
// Requests and answers are the proto messages themselves (a row's bytes go from the
// request into storage, and from storage into the answer, without another copy); there is
// no gRPC type here, so tests call it directly. GrpcCacheService (grpc_cache_service.h)
// only checks the token and runs these methods on the server's worker threads.
//
// Every request is validated before anything changes: an unknown session or cache is
// NotFound naming its id; a malformed row is InvalidArgument naming the field
// ("rows[3].offset: ..."). Rows refused for want of room, of a complete cache or already
// cached are counted in the answer, not errors. A disk that fills up refuses rows (with
// a warning in the log), it never fails a request.
//
// Shared memory: a local client writes a row by allocating a block in the store, filling
// it and handing its reference over with the request; the server adopts it (keeps it, or
// copies it to disk and releases it, or releases it). If WriteRows returns an error, the
// server has taken no reference: the client still owns its blocks. A ReadRows answer with
// shared_memory lends each in-memory row's block with one reference the client releases
// in the store; rows on disk come back as bytes. If the answer never reaches the client,
// ReturnLentBlocks gives those references back.
//
// The memory cap is the store's capacity (--memory) and each cache's memory_limit.
// Threading: every method may be called from any thread concurrently.
// Ownership: shares the store; owns the session table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "headrace/cache/session_table.h"
#include "headrace/core/status.h"
#include "headrace/memory/shared_store.h"
#include "headrace/v1/cache.pb.h"

namespace headrace::server {

class CacheServiceImpl {
 public:
  // `spill_dir`: where caches that spill keep their files; empty: the server does not
  // spill (--no-spill).
  CacheServiceImpl(std::shared_ptr<memory::SharedStore> store, std::string spill_dir);
  CacheServiceImpl(const CacheServiceImpl&) = delete;
  CacheServiceImpl& operator=(const CacheServiceImpl&) = delete;

  Status CreateSession(const v1::CreateSessionRequest& request,
                       v1::CreateSessionResponse* response);
  Status ListSessions(const v1::ListSessionsRequest& request,
                      v1::ListSessionsResponse* response);
  Status DropSession(const v1::DropSessionRequest& request, v1::DropSessionResponse* response);
  // The cache of (session_id, crc), made if needed. An existing cache keeps the
  // memory_limit and spilling it was made with.
  Status OpenCache(const v1::OpenCacheRequest& request, v1::OpenCacheResponse* response);
  Status Lookup(const v1::LookupRequest& request, v1::LookupResponse* response);
  Status WriteRows(const v1::WriteRowsRequest& request, v1::WriteRowsResponse* response);
  // ResourceExhausted (before anything is counted or lent) when the bytes of the rows
  // asked would not fit in one answer (kMaxMessageBytes): ask for fewer rows at a time.
  Status ReadRows(const v1::ReadRowsRequest& request, v1::ReadRowsResponse* response);
  // Marks the cache complete when it holds every one of the pass's `rows` rows. When some
  // were refused it holds fewer and stays incomplete (OK: later passes recompute; an
  // OpenCache answer tells). InvalidArgument naming `rows` when it is negative or smaller
  // than the rows the cache holds.
  Status SetComplete(const v1::SetCompleteRequest& request, v1::SetCompleteResponse* response);

  // Releases the blocks that `response` (a ReadRows answer) lent, for an answer that
  // never reached its client.
  void ReturnLentBlocks(const v1::ReadRowsResponse& response);

  const std::shared_ptr<memory::SharedStore>& store() const { return store_; }
  // Where caches spill ("" when the server does not spill).
  const std::string& spill_dir() const { return sessions_.spill_dir(); }

 private:
  // Checks every row of a WriteRows request; InvalidArgument naming the first bad field.
  Status ValidateRows(const v1::WriteRowsRequest& request) const;

  const std::shared_ptr<memory::SharedStore> store_;
  cache::SessionTable sessions_;
};

}  // namespace headrace::server
