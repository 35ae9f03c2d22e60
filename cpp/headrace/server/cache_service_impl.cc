#include "headrace/server/cache_service_impl.h"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

#include "headrace/memory/byte_size.h"
#include "headrace/rpc/wire.h"
#include "headrace/server/log.h"
#include "headrace/server/server_options.h"

namespace headrace::server {

namespace {

using cache::PutOutcome;
using cache::PutResult;
using cache::RowLocation;

// What a row costs in an answer beside its bytes (ids, sizes, field tags), generously.
constexpr int64_t kRowOverheadBytes = 64;
// Room for the rest of an answer.
constexpr int64_t kAnswerSlackBytes = int64_t{64} << 10;

std::string Hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

std::string RowField(int index, const char* field) {
  return "rows[" + std::to_string(index) + "]." + field;
}

// True for 1, 10, 100, ...: a disk that stays full is logged, not logged per row.
bool IsPowerOfTen(int64_t n) {
  while (n >= 10 && n % 10 == 0) n /= 10;
  return n == 1;
}

}  // namespace

CacheServiceImpl::CacheServiceImpl(std::shared_ptr<memory::SharedStore> store,
                                   std::string spill_dir)
    : store_(store), sessions_(std::move(store), std::move(spill_dir)) {}

Status CacheServiceImpl::CreateSession(const v1::CreateSessionRequest& /*request*/,
                                       v1::CreateSessionResponse* response) {
  const uint32_t session_id = sessions_.CreateSession();
  response->set_session_id(session_id);
  LogInfo("created session " + std::to_string(session_id));
  return Status::OK();
}

Status CacheServiceImpl::ListSessions(const v1::ListSessionsRequest& /*request*/,
                                      v1::ListSessionsResponse* response) {
  for (const cache::SessionListing& session : sessions_.List()) {
    v1::SessionInfo* out = response->add_sessions();
    out->set_session_id(session.session_id);
    for (const cache::CacheListing& cache : session.caches) {
      v1::CacheInfo* info = out->add_caches();
      info->set_session_id(cache.session_id);
      info->set_crc(cache.crc);
      info->set_cache_id(cache.cache_id);
      info->set_description(cache.description);
      info->set_rows_in_memory(cache.statistics.rows_in_memory);
      info->set_bytes_in_memory(cache.statistics.bytes_in_memory);
      info->set_rows_on_disk(cache.statistics.rows_on_disk);
      info->set_bytes_on_disk(cache.statistics.bytes_on_disk);
      info->set_rows_refused(cache.statistics.rows_refused);
      info->set_hits(cache.statistics.hits);
      info->set_misses(cache.statistics.misses);
      info->set_clients(cache.clients);
      info->set_complete(cache.statistics.complete);
    }
  }
  response->set_memory_capacity(store_->capacity());
  response->set_memory_used(store_->used_bytes());
  response->set_spill_dir(sessions_.spill_dir());
  return Status::OK();
}

Status CacheServiceImpl::DropSession(const v1::DropSessionRequest& request,
                                     v1::DropSessionResponse* /*response*/) {
  RETURN_IF_ERROR(sessions_.DropSession(request.session_id()));
  LogInfo("dropped session " + std::to_string(request.session_id()));
  return Status::OK();
}

Status CacheServiceImpl::OpenCache(const v1::OpenCacheRequest& request,
                                   v1::OpenCacheResponse* response) {
  ASSIGN_OR_RETURN(cache::OpenCacheResult opened,
                   sessions_.OpenCache(request.session_id(), request.crc(), request.description(),
                                       request.memory_limit(), request.spilling()));
  response->set_cache_id(opened.cache_id);
  response->set_complete(opened.storage->complete());
  response->set_rows(opened.storage->rows());
  if (opened.created) {
    LogInfo("session " + std::to_string(request.session_id()) + ": new cache " +
            std::to_string(opened.cache_id) + " (crc " + Hex(request.crc()) + ", '" +
            request.description() + "', memory limit " +
            (request.memory_limit() == 0 ? std::string("none")
                                         : memory::FormatBytes(request.memory_limit())) +
            ", " +
            (opened.storage->spill_path().empty() ? std::string("not spilling")
                                                  : "spilling to " + opened.storage->spill_path()) +
            ")");
  }
  return Status::OK();
}

Status CacheServiceImpl::Lookup(const v1::LookupRequest& request, v1::LookupResponse* response) {
  ASSIGN_OR_RETURN(std::shared_ptr<cache::CacheStorage> storage,
                   sessions_.FindCache(request.cache_id()));
  const std::vector<int64_t> row_ids(request.row_ids().begin(), request.row_ids().end());
  for (bool cached : storage->Lookup(row_ids)) response->add_cached(cached);
  return Status::OK();
}

Status CacheServiceImpl::ValidateRows(const v1::WriteRowsRequest& request) const {
  // Each shared-memory row hands over one reference: a block named twice would be
  // released twice.
  std::unordered_map<int64_t, int> first_use;
  for (int i = 0; i < request.rows_size(); ++i) {
    const v1::Row& row = request.rows(i);
    if (row.size() < 0) {
      return Status::InvalidArgument(RowField(i, "size") + " must be >= 0, got " +
                                     std::to_string(row.size()));
    }
    if (!row.in_shared_memory()) {
      // Inline bytes carry their own size; a size given must agree.
      if (row.size() != 0 && row.size() != static_cast<int64_t>(row.data().size())) {
        return Status::InvalidArgument(RowField(i, "size") + " is " + std::to_string(row.size()) +
                                       " but " + RowField(i, "data") + " holds " +
                                       std::to_string(row.data().size()) + " bytes");
      }
      continue;
    }
    if (auto [it, fresh] = first_use.emplace(row.offset(), i); !fresh) {
      return Status::InvalidArgument(RowField(i, "offset") + ": the block at " +
                                     std::to_string(row.offset()) + " is already rows[" +
                                     std::to_string(it->second) +
                                     "]'s; each row hands over a block of its own");
    }
    Result<int64_t> block_size = store_->block_size(row.offset());
    if (!block_size.ok()) {
      return Status::InvalidArgument(RowField(i, "offset") + ": " + std::to_string(row.offset()) +
                                     " is not a live block of the server's shared-memory store");
    }
    if (row.size() > *block_size) {
      return Status::InvalidArgument(RowField(i, "size") + " " + std::to_string(row.size()) +
                                     " is larger than the block at offset " +
                                     std::to_string(row.offset()) + " (" +
                                     std::to_string(*block_size) + " bytes)");
    }
  }
  return Status::OK();
}

Status CacheServiceImpl::WriteRows(const v1::WriteRowsRequest& request,
                                   v1::WriteRowsResponse* response) {
  ASSIGN_OR_RETURN(std::shared_ptr<cache::CacheStorage> storage,
                   sessions_.FindCache(request.cache_id()));
  // All or nothing up to here: an error leaves every block with the client.
  RETURN_IF_ERROR(ValidateRows(request));
  int64_t admitted = 0;
  int64_t refused = 0;
  for (const v1::Row& row : request.rows()) {
    const PutResult result =
        row.in_shared_memory()
            ? storage->PutBlock(row.row_id(), row.offset(), row.size())
            : storage->PutBytes(row.row_id(), reinterpret_cast<const uint8_t*>(row.data().data()),
                                static_cast<int64_t>(row.data().size()));
    if (result.admitted()) {
      ++admitted;
      continue;
    }
    ++refused;
    if (result.outcome == PutOutcome::kRefusedDiskError) {
      const int64_t failures = storage->GetStatistics().spill_failures;
      if (IsPowerOfTen(failures)) {
        LogWarning("cache " + std::to_string(request.cache_id()) + ": " +
                   std::to_string(failures) + " row(s) refused so far, the spill write failed: " +
                   result.disk_error.message());
      }
    }
  }
  response->set_admitted(admitted);
  response->set_refused(refused);
  return Status::OK();
}

Status CacheServiceImpl::ReadRows(const v1::ReadRowsRequest& request,
                                  v1::ReadRowsResponse* response) {
  ASSIGN_OR_RETURN(std::shared_ptr<cache::CacheStorage> storage,
                   sessions_.FindCache(request.cache_id()));
  const std::vector<int64_t> row_ids(request.row_ids().begin(), request.row_ids().end());
  const std::vector<RowLocation> locations = storage->Locate(row_ids);
  const bool lend = request.shared_memory();

  int64_t answer_bytes = kAnswerSlackBytes;
  for (const RowLocation& location : locations) {
    answer_bytes += kRowOverheadBytes;
    const bool lent = lend && location.kind == RowLocation::Kind::kMemory;
    if (location.kind != RowLocation::Kind::kMissing && !lent) answer_bytes += location.size;
  }
  if (answer_bytes > rpc::kMaxMessageBytes) {
    return Status::ResourceExhausted(
        "ReadRows: the " + std::to_string(row_ids.size()) + " rows asked come to " +
        memory::FormatBytes(answer_bytes) + ", more than one answer may carry (" +
        memory::FormatBytes(rpc::kMaxMessageBytes) + "); ask for fewer rows at a time");
  }

  int64_t hits = 0;
  int64_t misses = 0;
  for (size_t i = 0; i < row_ids.size(); ++i) {
    const RowLocation& location = locations[i];
    v1::Row* row = response->add_rows();
    row->set_row_id(row_ids[i]);
    if (location.kind == RowLocation::Kind::kMissing) {
      row->set_size(-1);
      ++misses;
      continue;
    }
    if (lend && location.kind == RowLocation::Kind::kMemory) {
      if (Status lent = storage->LendBlock(location); !lent.ok()) {
        // Our own reference keeps the block live, so this means a broken store.
        response->mutable_rows()->RemoveLast();
        ReturnLentBlocks(*response);
        response->Clear();
        return lent.WithContext("ReadRows of cache " + std::to_string(request.cache_id()));
      }
      row->set_in_shared_memory(true);
      row->set_offset(location.offset);
      row->set_size(location.size);
      ++hits;
      continue;
    }
    std::string* data = row->mutable_data();
    data->resize(static_cast<size_t>(location.size));
    if (Status copied = storage->CopyRow(location, reinterpret_cast<uint8_t*>(data->data()));
        !copied.ok()) {
      // A spilled row that cannot be read back is lost: answer a miss, so the client
      // recomputes it, and tell the operator.
      LogWarning("cache " + std::to_string(request.cache_id()) + ": row " +
                 std::to_string(row_ids[i]) + " is lost: " + copied.message());
      data->clear();
      row->set_size(-1);
      ++misses;
      continue;
    }
    row->set_size(location.size);
    ++hits;
  }
  storage->CountReads(hits, misses);
  return Status::OK();
}

Status CacheServiceImpl::SetComplete(const v1::SetCompleteRequest& request,
                                     v1::SetCompleteResponse* response) {
  ASSIGN_OR_RETURN(std::shared_ptr<cache::CacheStorage> storage,
                   sessions_.FindCache(request.cache_id()));
  Result<bool> complete = storage->SetComplete(request.rows());
  if (!complete.ok()) {
    return complete.status().WithContext("SetComplete of cache " +
                                         std::to_string(request.cache_id()));
  }
  response->set_complete(*complete);
  if (!*complete) {
    LogInfo("cache " + std::to_string(request.cache_id()) + " holds " +
            std::to_string(storage->rows()) + " of the " + std::to_string(request.rows()) +
            " rows of its pass (the rest were refused): it stays incomplete");
  }
  return Status::OK();
}

void CacheServiceImpl::ReturnLentBlocks(const v1::ReadRowsResponse& response) {
  for (const v1::Row& row : response.rows()) {
    if (row.in_shared_memory()) store_->Release(row.offset()).IgnoreError();
  }
}

}  // namespace headrace::server
