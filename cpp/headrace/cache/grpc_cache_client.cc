#include "headrace/cache/grpc_cache_client.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <cstring>
#include <initializer_list>
#include <utility>

#include "headrace/core/row_codec.h"
#include "headrace/memory/shared_store.h"
#include "headrace/rpc/connection.h"
#include "headrace/rpc/wire.h"
#include "headrace/v1/cache.grpc.pb.h"

namespace headrace::cache {

namespace {

using rpc::kMaxMessageBytes;

// A WriteRows request is sent once its rows' bytes (inline or in blocks) reach this: far
// below the message limit, so that one request never holds a server worker (or the
// store's room) for long.
constexpr int64_t kWriteBatchBytes = int64_t{64} << 20;
// What a row costs in a message beside its bytes, generously.
constexpr int64_t kRowOverheadBytes = 64;
// The most inline bytes one row may have to be sent at all.
constexpr int64_t kMaxInlineRowBytes = kMaxMessageBytes - (int64_t{1} << 20);
// The codes WriteRows answers before it takes a reference on any block: the server checks
// the whole request first (NOT_FOUND: no such cache, FAILED_PRECONDITION: offsets of
// another store), and UNAVAILABLE means not sent, or the server is stopping or gone.
constexpr std::initializer_list<StatusCode> kWriteRefusedBeforeTaking = {
    StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kPermissionDenied,
    StatusCode::kFailedPrecondition, StatusCode::kUnavailable};

}  // namespace

struct GrpcCacheClient::Rep {
  CacheClientOptions options;
  std::unique_ptr<rpc::Connection> connection;
  std::unique_ptr<v1::Cache::Stub> stub;

  // One unary call, failed at the call timeout (a server that hangs: stopped, or behind
  // a dead link, which keepalive finds), at once when the server has gone, or sooner by
  // CancelCalls.
  template <class Request, class Response>
  Status Call(const char* rpc,
              grpc::Status (v1::Cache::Stub::*method)(grpc::ClientContext*, const Request&,
                                                      Response*),
              const Request& request, Response* response) const {
    return connection->Call(rpc, stub.get(), method, request, response,
                            std::chrono::system_clock::now() + options.call_timeout);
  }

  // Sends `request` (whose shared-memory rows are `blocks`) and adds the answer to
  // `total`; clears both for the next batch.
  Status Flush(v1::WriteRowsRequest* request, std::vector<int64_t>* blocks,
               WriteResult* total) const {
    if (request->rows_size() == 0) return Status::OK();
    v1::WriteRowsResponse response;
    Status status = Call("WriteRows", &v1::Cache::Stub::WriteRows, *request, &response);
    if (!status.ok()) {
      if (rpc::BlocksStayedWithClient(status.code(), kWriteRefusedBeforeTaking)) {
        connection->ReleaseBlocks(*blocks);
      }
      blocks->clear();
      return status;
    }
    total->admitted += response.admitted();
    total->refused += response.refused();
    request->clear_rows();
    blocks->clear();
    return Status::OK();
  }

  Status ReadChunk(uint64_t cache_id, const int64_t* ids, size_t count,
                   std::vector<std::optional<TensorRow>>* out) const;
};

Result<std::unique_ptr<CacheClient>> GrpcCacheClient::Connect(const CacheClientOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  ASSIGN_OR_RETURN(rep->connection, rpc::Connection::Open(options, "cache server"));
  rep->stub = v1::Cache::NewStub(rep->connection->channel());
  return std::unique_ptr<CacheClient>(new GrpcCacheClient(std::move(rep)));
}

GrpcCacheClient::GrpcCacheClient(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

GrpcCacheClient::~GrpcCacheClient() = default;

const std::string& GrpcCacheClient::address() const { return rep_->connection->address(); }

bool GrpcCacheClient::is_local() const { return rep_->connection->is_local(); }

Result<uint32_t> GrpcCacheClient::CreateSession() {
  v1::CreateSessionResponse response;
  RETURN_IF_ERROR(rep_->Call("CreateSession", &v1::Cache::Stub::CreateSession,
                             v1::CreateSessionRequest(), &response));
  return response.session_id();
}

Result<ServerCacheStatistics> GrpcCacheClient::ListSessions() {
  v1::ListSessionsResponse response;
  RETURN_IF_ERROR(rep_->Call("ListSessions", &v1::Cache::Stub::ListSessions,
                             v1::ListSessionsRequest(), &response));
  ServerCacheStatistics statistics;
  statistics.memory_capacity = response.memory_capacity();
  statistics.memory_used = response.memory_used();
  statistics.spill_dir = response.spill_dir();
  for (const v1::SessionInfo& session : response.sessions()) {
    SessionStatistics& out = statistics.sessions.emplace_back();
    out.session_id = session.session_id();
    for (const v1::CacheInfo& info : session.caches()) {
      CacheStatistics& cache = out.caches.emplace_back();
      cache.session_id = info.session_id();
      cache.crc = info.crc();
      cache.cache_id = info.cache_id();
      cache.description = info.description();
      cache.rows_in_memory = info.rows_in_memory();
      cache.bytes_in_memory = info.bytes_in_memory();
      cache.rows_on_disk = info.rows_on_disk();
      cache.bytes_on_disk = info.bytes_on_disk();
      cache.rows_refused = info.rows_refused();
      cache.hits = info.hits();
      cache.misses = info.misses();
      cache.clients = info.clients();
      cache.complete = info.complete();
    }
  }
  return statistics;
}

Status GrpcCacheClient::DropSession(uint32_t session_id) {
  v1::DropSessionRequest request;
  request.set_session_id(session_id);
  v1::DropSessionResponse response;
  return rep_->Call("DropSession", &v1::Cache::Stub::DropSession, request, &response);
}

Result<OpenedCache> GrpcCacheClient::OpenCache(uint32_t session_id, uint64_t crc,
                                               const std::string& description,
                                               int64_t memory_limit, bool spilling) {
  v1::OpenCacheRequest request;
  request.set_session_id(session_id);
  request.set_crc(crc);
  request.set_description(description);
  request.set_memory_limit(memory_limit);
  request.set_spilling(spilling);
  v1::OpenCacheResponse response;
  RETURN_IF_ERROR(rep_->Call("OpenCache", &v1::Cache::Stub::OpenCache, request, &response));
  OpenedCache opened;
  opened.cache_id = response.cache_id();
  opened.complete = response.complete();
  opened.rows = response.rows();
  return opened;
}

Result<std::vector<bool>> GrpcCacheClient::Lookup(uint64_t cache_id,
                                                  const std::vector<int64_t>& row_ids) {
  v1::LookupRequest request;
  request.set_cache_id(cache_id);
  request.mutable_row_ids()->Add(row_ids.begin(), row_ids.end());
  v1::LookupResponse response;
  RETURN_IF_ERROR(rep_->Call("Lookup", &v1::Cache::Stub::Lookup, request, &response));
  if (response.cached_size() != static_cast<int>(row_ids.size())) {
    return Status::Internal("Lookup: the server answered " +
                            std::to_string(response.cached_size()) + " flags for " +
                            std::to_string(row_ids.size()) + " row ids");
  }
  return std::vector<bool>(response.cached().begin(), response.cached().end());
}

Result<WriteResult> GrpcCacheClient::WriteRows(
    uint64_t cache_id, const std::vector<std::pair<int64_t, TensorRow>>& rows) {
  WriteResult total;
  v1::WriteRowsRequest request;
  request.set_cache_id(cache_id);
  std::vector<int64_t> blocks;  // shared-memory rows of `request`, to release on failure
  int64_t request_bytes = 0;
  const std::shared_ptr<memory::SharedStore>& store = rep_->connection->store();
  // An error before a batch is sent leaves its blocks with us: give them back.
  auto fail = [&](Status status) {
    rep_->connection->ReleaseBlocks(blocks);
    return status;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& [row_id, row] = rows[i];
    if (!row.is_data()) {
      return fail(Status::InvalidArgument("WriteRows: rows[" + std::to_string(i) +
                                          "] (row id " + std::to_string(row_id) + ") is " +
                                          row.ToString() + ", not a data row"));
    }
    const int64_t size = EncodedRowSize(row);
    // Local: serialise straight into a block of the server's store, and send its offset.
    // A full store (or a remote server) sends the bytes instead.
    Result<int64_t> offset =
        store != nullptr ? store->Allocate(size) : Result<int64_t>(Status::Unavailable("remote"));
    if (offset.ok()) {
      if (Status encoded = EncodeRow(row, store->data(*offset), size); !encoded.ok()) {
        store->Release(*offset).IgnoreError();
        return fail(encoded.WithContext("WriteRows: rows[" + std::to_string(i) + "]"));
      }
      v1::Row* out = request.add_rows();
      out->set_row_id(row_id);
      out->set_in_shared_memory(true);
      out->set_offset(*offset);
      out->set_size(size);
      blocks.push_back(*offset);
      // Counted too: a batch also bounds the blocks in flight, which fill the store.
      request_bytes += size + kRowOverheadBytes;
    } else {
      if (size > kMaxInlineRowBytes) {
        // It cannot travel in one message: refused like a row the server has no room
        // for, and recomputed by the pipeline.
        ++total.refused;
        continue;
      }
      if (request_bytes + size > kWriteBatchBytes) {
        RETURN_IF_ERROR(rep_->Flush(&request, &blocks, &total));
        request_bytes = 0;
      }
      // EncodeRow wants 64-byte aligned memory, which a protobuf string is not.
      Result<BufferPtr> scratch = Buffer::Allocate(size);
      if (!scratch.ok()) return fail(scratch.status());
      if (Status encoded = EncodeRow(row, (*scratch)->mutable_data(), size); !encoded.ok()) {
        return fail(encoded.WithContext("WriteRows: rows[" + std::to_string(i) + "]"));
      }
      v1::Row* out = request.add_rows();
      out->set_row_id(row_id);
      out->set_data((*scratch)->data(), static_cast<size_t>(size));
      out->set_size(size);
      request_bytes += size + kRowOverheadBytes;
    }
    if (request_bytes >= kWriteBatchBytes) {
      RETURN_IF_ERROR(rep_->Flush(&request, &blocks, &total));
      request_bytes = 0;
    }
  }
  RETURN_IF_ERROR(rep_->Flush(&request, &blocks, &total));
  return total;
}

Status GrpcCacheClient::Rep::ReadChunk(uint64_t cache_id, const int64_t* ids, size_t count,
                                       std::vector<std::optional<TensorRow>>* out) const {
  const std::shared_ptr<memory::SharedStore>& store = connection->store();
  v1::ReadRowsRequest request;
  request.set_cache_id(cache_id);
  request.mutable_row_ids()->Add(ids, ids + count);
  request.set_shared_memory(store != nullptr);
  v1::ReadRowsResponse response;
  Status status = Call("ReadRows", &v1::Cache::Stub::ReadRows, request, &response);
  if (status.code() == StatusCode::kResourceExhausted && count > 1) {
    // The rows do not fit in one answer: ask for each half.
    const size_t half = count / 2;
    RETURN_IF_ERROR(ReadChunk(cache_id, ids, half, out));
    return ReadChunk(cache_id, ids + half, count - half, out);
  }
  RETURN_IF_ERROR(status);

  // Every lent block becomes a Buffer first, so that whatever fails below, each reference
  // is released exactly once (by its buffer, or here for those not yet adopted).
  const int rows = response.rows_size();
  std::vector<BufferPtr> buffers(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    const v1::Row& row = response.rows(i);
    if (!row.in_shared_memory() || row.size() < 0) continue;
    if (store == nullptr) {
      return Status::Internal("ReadRows: the server lent a shared-memory row to a remote client");
    }
    Result<BufferPtr> adopted = store->Adopt(row.offset(), row.size());
    if (!adopted.ok()) {
      for (int j = i; j < rows; ++j) {
        const v1::Row& rest = response.rows(j);
        if (rest.in_shared_memory()) store->Release(rest.offset()).IgnoreError();
      }
      return adopted.status().WithContext("ReadRows: row id " + std::to_string(row.row_id()));
    }
    buffers[i] = std::move(adopted).value();
  }
  if (rows != static_cast<int>(count)) {
    return Status::Internal("ReadRows: the server answered " + std::to_string(rows) +
                            " rows for " + std::to_string(count) + " row ids");
  }
  for (int i = 0; i < rows; ++i) {
    const v1::Row& row = response.rows(i);
    if (row.size() < 0) {
      out->emplace_back(std::nullopt);
      continue;
    }
    BufferPtr buffer = std::move(buffers[i]);
    if (buffer == nullptr) {
      if (row.data().size() != static_cast<size_t>(row.size())) {
        return Status::DataLoss("ReadRows: row id " + std::to_string(ids[i]) + " came with " +
                                std::to_string(row.data().size()) + " bytes, announced " +
                                std::to_string(row.size()));
      }
      ASSIGN_OR_RETURN(buffer, Buffer::Allocate(row.size()));
      std::memcpy(buffer->mutable_data(), row.data().data(), row.data().size());
    }
    Result<TensorRow> decoded = DecodeRow(buffer, 0, row.size(), ids[i]);
    if (!decoded.ok()) {
      return decoded.status().WithContext("ReadRows: row id " + std::to_string(ids[i]));
    }
    out->emplace_back(std::move(decoded).value());
  }
  return Status::OK();
}

Result<std::vector<std::optional<TensorRow>>> GrpcCacheClient::ReadRows(
    uint64_t cache_id, const std::vector<int64_t>& row_ids) {
  std::vector<std::optional<TensorRow>> rows;
  rows.reserve(row_ids.size());
  if (row_ids.empty()) return rows;
  RETURN_IF_ERROR(rep_->ReadChunk(cache_id, row_ids.data(), row_ids.size(), &rows));
  return rows;
}

Result<bool> GrpcCacheClient::SetComplete(uint64_t cache_id, int64_t rows) {
  v1::SetCompleteRequest request;
  request.set_cache_id(cache_id);
  request.set_rows(rows);
  v1::SetCompleteResponse response;
  RETURN_IF_ERROR(rep_->Call("SetComplete", &v1::Cache::Stub::SetComplete, request, &response));
  return response.complete();
}

void GrpcCacheClient::CancelCalls() { rep_->connection->CancelCalls(); }

}  // namespace headrace::cache
