#include "fake_cache_client.h"

#include <thread>

#include "headrace/core/row_codec.h"

namespace headrace::cache::testing {

namespace {

size_t Index(FakeCacheClient::Call call) { return static_cast<size_t>(call); }

}  // namespace

Status FakeCacheClient::Gone(const char* rpc) const {
  // The words GrpcCacheClient uses for a server that has gone.
  return Status::Unavailable(std::string(rpc) + ": the headrace cache server at " + address_ +
                             " is not answering (the fake server died); start one with "
                             "`headrace cache start`");
}

Status FakeCacheClient::Enter(Call call, const char* rpc) {
  const int64_t nth = ++calls_[Index(call)];
  if (die_at_.has_value() && die_at_->first == call && nth >= die_at_->second) dead_ = true;
  if (dead_) return Gone(rpc);
  return Status::OK();
}

Result<FakeCacheClient::Cache*> FakeCacheClient::FindCache(uint64_t cache_id, const char* rpc) {
  auto it = caches_.find(cache_id);
  if (it == caches_.end()) {
    return Status::NotFound(std::string(rpc) + ": no cache " + std::to_string(cache_id));
  }
  return &it->second;
}

Result<bool> FakeCacheClient::Store(Cache* cache, int64_t row_id, const TensorRow& row) {
  if (cache->complete || cache->rows.count(row_id) > 0) return false;
  if (capacity_ >= 0 && static_cast<int64_t>(cache->rows.size()) >= capacity_) {
    ++refused_for_capacity_;
    return false;
  }
  const int64_t size = EncodedRowSize(row);
  ASSIGN_OR_RETURN(BufferPtr bytes, Buffer::Allocate(size));
  RETURN_IF_ERROR(EncodeRow(row, bytes->mutable_data(), size));
  cache->rows[row_id] = std::move(bytes);
  return true;
}

Result<uint32_t> FakeCacheClient::CreateSession() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kCreateSession, "CreateSession"));
  const uint32_t id = next_session_++;
  sessions_.insert(id);
  return id;
}

Result<ServerCacheStatistics> FakeCacheClient::ListSessions() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kListSessions, "ListSessions"));
  ServerCacheStatistics statistics;
  for (uint32_t session_id : sessions_) {
    SessionStatistics& session = statistics.sessions.emplace_back();
    session.session_id = session_id;
    for (const auto& [cache_id, cache] : caches_) {
      if (cache.session_id != session_id) continue;
      CacheStatistics& out = session.caches.emplace_back();
      out.session_id = session_id;
      out.crc = cache.crc;
      out.cache_id = cache_id;
      out.description = cache.description;
      out.rows_in_memory = static_cast<int64_t>(cache.rows.size());
      for (const auto& [id, bytes] : cache.rows) out.bytes_in_memory += bytes->size();
      out.rows_refused = cache.refused;
      out.hits = cache.hits;
      out.misses = cache.misses;
      out.complete = cache.complete;
    }
  }
  return statistics;
}

Status FakeCacheClient::DropSession(uint32_t session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kDropSession, "DropSession"));
  if (sessions_.erase(session_id) == 0) {
    return Status::NotFound("DropSession: no session " + std::to_string(session_id));
  }
  for (auto it = caches_.begin(); it != caches_.end();) {
    it = it->second.session_id == session_id ? caches_.erase(it) : std::next(it);
  }
  return Status::OK();
}

Result<OpenedCache> FakeCacheClient::OpenCache(uint32_t session_id, uint64_t crc,
                                               const std::string& description,
                                               int64_t /*memory_limit*/, bool /*spilling*/) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kOpenCache, "OpenCache"));
  if (sessions_.count(session_id) == 0) {
    return Status::NotFound("OpenCache: no session " + std::to_string(session_id));
  }
  for (const auto& [cache_id, cache] : caches_) {
    if (cache.session_id == session_id && cache.crc == crc) {
      return OpenedCache{cache_id, cache.complete, static_cast<int64_t>(cache.rows.size())};
    }
  }
  const uint64_t cache_id = next_cache_++;
  Cache& cache = caches_[cache_id];
  cache.session_id = session_id;
  cache.crc = crc;
  cache.description = description;
  return OpenedCache{cache_id, false, 0};
}

Result<std::vector<bool>> FakeCacheClient::Lookup(uint64_t cache_id,
                                                  const std::vector<int64_t>& row_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kLookup, "Lookup"));
  ASSIGN_OR_RETURN(Cache* cache, FindCache(cache_id, "Lookup"));
  std::vector<bool> cached;
  cached.reserve(row_ids.size());
  for (int64_t id : row_ids) cached.push_back(cache->rows.count(id) > 0);
  return cached;
}

Result<WriteResult> FakeCacheClient::WriteRows(
    uint64_t cache_id, const std::vector<std::pair<int64_t, TensorRow>>& rows) {
  std::unique_lock<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kWriteRows, "WriteRows"));
  if (write_delay_.count() > 0) {
    // Slow, but not cancellable: a server that answers late.
    const std::chrono::milliseconds delay = write_delay_;
    lock.unlock();
    std::this_thread::sleep_for(delay);
    lock.lock();
    if (dead_) return Gone("WriteRows");
  }
  if (block_writes_) {
    const int64_t generation = cancel_generation_;
    ++blocked_writes_;
    changed_.notify_all();
    const bool ended = changed_.wait_for(lock, kLongestBlock, [&] {
      return !block_writes_ || dead_ || cancel_generation_ != generation;
    });
    --blocked_writes_;
    changed_.notify_all();
    if (!ended) return Status::DeadlineExceeded("WriteRows: the fake server blocked too long");
    if (dead_) return Gone("WriteRows");
    if (cancel_generation_ != generation) return Status::Cancelled("WriteRows: cancelled");
  }
  ASSIGN_OR_RETURN(Cache* cache, FindCache(cache_id, "WriteRows"));
  // The whole request is checked first, as the server does: an error stores nothing.
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].second.is_data()) {
      return Status::InvalidArgument("WriteRows: rows[" + std::to_string(i) + "] is " +
                                     rows[i].second.ToString() + ", not a data row");
    }
  }
  WriteResult result;
  for (const auto& [row_id, row] : rows) {
    written_ids_.push_back(row_id);
    ASSIGN_OR_RETURN(bool admitted, Store(cache, row_id, row));
    if (admitted) {
      ++result.admitted;
    } else {
      ++result.refused;
      ++cache->refused;
    }
  }
  write_sizes_.push_back(rows.size());
  return result;
}

Result<std::vector<std::optional<TensorRow>>> FakeCacheClient::ReadRows(
    uint64_t cache_id, const std::vector<int64_t>& row_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kReadRows, "ReadRows"));
  ASSIGN_OR_RETURN(Cache* cache, FindCache(cache_id, "ReadRows"));
  std::vector<std::optional<TensorRow>> out;
  out.reserve(row_ids.size());
  for (int64_t id : row_ids) {
    auto it = cache->rows.find(id);
    if (it == cache->rows.end() || lost_on_read_.count(id) > 0) {
      ++cache->misses;
      out.emplace_back(std::nullopt);
      continue;
    }
    ++cache->hits;
    ASSIGN_OR_RETURN(TensorRow row, DecodeRow(it->second, 0, it->second->size(), id));
    out.emplace_back(std::move(row));
  }
  return out;
}

Result<bool> FakeCacheClient::SetComplete(uint64_t cache_id, int64_t rows) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Enter(Call::kSetComplete, "SetComplete"));
  ASSIGN_OR_RETURN(Cache* cache, FindCache(cache_id, "SetComplete"));
  const auto held = static_cast<int64_t>(cache->rows.size());
  if (rows < held) {
    return Status::InvalidArgument("SetComplete: rows must be at least the " +
                                   std::to_string(held) + " the cache holds; got " +
                                   std::to_string(rows));
  }
  if (rows == held) cache->complete = true;
  return cache->complete;
}

void FakeCacheClient::CancelCalls() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++cancel_generation_;
  }
  changed_.notify_all();
}

void FakeCacheClient::DieAtCall(Call call, int64_t nth) {
  std::lock_guard<std::mutex> lock(mu_);
  die_at_ = std::make_pair(call, nth);
}

void FakeCacheClient::Die() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    dead_ = true;
  }
  changed_.notify_all();
}

void FakeCacheClient::SetCapacity(int64_t rows) {
  std::lock_guard<std::mutex> lock(mu_);
  capacity_ = rows;
}

void FakeCacheClient::BlockWrites() {
  std::lock_guard<std::mutex> lock(mu_);
  block_writes_ = true;
}

void FakeCacheClient::ReleaseWrites() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    block_writes_ = false;
  }
  changed_.notify_all();
}

bool FakeCacheClient::WaitForBlockedWrites(int count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return blocked_writes_ == count; });
}

void FakeCacheClient::SetWriteDelay(std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  write_delay_ = delay;
}

void FakeCacheClient::LoseOnRead(std::set<int64_t> row_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  lost_on_read_ = std::move(row_ids);
}

bool FakeCacheClient::Put(uint64_t cache_id, int64_t row_id, const TensorRow& row) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = caches_.find(cache_id);
  if (it == caches_.end()) return false;
  Result<bool> stored = Store(&it->second, row_id, row);
  return stored.ok() && *stored;
}

std::vector<int64_t> FakeCacheClient::RowIds(uint64_t cache_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int64_t> ids;
  auto it = caches_.find(cache_id);
  if (it == caches_.end()) return ids;
  for (const auto& [id, bytes] : it->second.rows) ids.push_back(id);
  return ids;
}

std::optional<TensorRow> FakeCacheClient::Row(uint64_t cache_id, int64_t row_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = caches_.find(cache_id);
  if (it == caches_.end()) return std::nullopt;
  auto row = it->second.rows.find(row_id);
  if (row == it->second.rows.end()) return std::nullopt;
  Result<TensorRow> decoded = DecodeRow(row->second, 0, row->second->size(), row_id);
  if (!decoded.ok()) return std::nullopt;
  return std::move(decoded).value();
}

bool FakeCacheClient::complete(uint64_t cache_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = caches_.find(cache_id);
  return it != caches_.end() && it->second.complete;
}

int64_t FakeCacheClient::calls(Call call) const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_[Index(call)];
}

std::vector<int64_t> FakeCacheClient::written_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_ids_;
}

std::vector<size_t> FakeCacheClient::write_sizes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return write_sizes_;
}

int64_t FakeCacheClient::refused_for_capacity() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_for_capacity_;
}

}  // namespace headrace::cache::testing
