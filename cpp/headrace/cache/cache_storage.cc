#include "headrace/cache/cache_storage.h"

#include <cstring>
#include <utility>

namespace headrace::cache {

CacheStorage::CacheStorage(std::shared_ptr<memory::SharedStore> store,
                           CacheStorageOptions options)
    : store_(std::move(store)), options_(std::move(options)) {}

CacheStorage::~CacheStorage() {
  // No reader can hold this storage any more, so no lent block depends on our references.
  for (const auto& [row_id, location] : rows_) {
    if (location.kind == RowLocation::Kind::kMemory) {
      store_->Release(location.offset).IgnoreError();
    }
  }
}

bool CacheStorage::RefusedAnyway(int64_t row_id, PutResult* result) const {
  if (stats_.complete) {
    result->outcome = PutOutcome::kRefusedComplete;
    return true;
  }
  if (rows_.count(row_id) != 0) {
    result->outcome = PutOutcome::kAlreadyCached;
    return true;
  }
  return false;
}

bool CacheStorage::FitsLimit(int64_t size) const {
  return options_.memory_limit == 0 ||
         stats_.bytes_in_memory + reserved_bytes_ + size <= options_.memory_limit;
}

PutResult CacheStorage::PutBytes(int64_t row_id, const uint8_t* data, int64_t size) {
  PutResult result;
  bool fits_limit = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (RefusedAnyway(row_id, &result)) return result;
    fits_limit = FitsLimit(size);
    if (fits_limit) reserved_bytes_ += size;
  }
  if (fits_limit) {
    // The store's capacity is the server's --memory: a full store sends the row to disk.
    Result<int64_t> offset = store_->Allocate(size);
    if (offset.ok()) {
      std::memcpy(store_->data(*offset), data, static_cast<size_t>(size));
      return Commit(row_id, RowLocation{RowLocation::Kind::kMemory, *offset, size}, size);
    }
    std::lock_guard<std::mutex> lock(mu_);
    reserved_bytes_ -= size;
  }
  return Spill(row_id, data, size);
}

PutResult CacheStorage::PutBlock(int64_t row_id, int64_t offset, int64_t size) {
  PutResult result;
  bool refused = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    refused = RefusedAnyway(row_id, &result);
    if (!refused && FitsLimit(size)) {
      // The block is in the store already: keeping its reference is the whole write.
      rows_[row_id] = RowLocation{RowLocation::Kind::kMemory, offset, size};
      ++stats_.rows_in_memory;
      stats_.bytes_in_memory += size;
      result.outcome = PutOutcome::kInMemory;
      return result;
    }
  }
  if (!refused) result = Spill(row_id, store_->data(offset), size);
  store_->Release(offset).IgnoreError();
  return result;
}

Result<SpillFile*> CacheStorage::GetSpillFile() {
  std::lock_guard<std::mutex> lock(mu_);
  if (spill_file_ == nullptr) {
    ASSIGN_OR_RETURN(spill_file_, SpillFile::Create(options_.spill_path));
  }
  return spill_file_.get();
}

PutResult CacheStorage::Spill(int64_t row_id, const uint8_t* data, int64_t size) {
  PutResult result;
  if (options_.spill_path.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (RefusedAnyway(row_id, &result)) return result;
    ++stats_.rows_refused;
    result.outcome = PutOutcome::kRefusedFull;
    return result;
  }
  Result<SpillFile*> file = GetSpillFile();
  Result<int64_t> offset = file.ok() ? (*file)->Append(data, size) : Result<int64_t>(file.status());
  if (!offset.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.rows_refused;
    ++stats_.spill_failures;
    result.outcome = PutOutcome::kRefusedDiskError;
    result.disk_error = offset.status();
    return result;
  }
  return Commit(row_id, RowLocation{RowLocation::Kind::kDisk, *offset, size}, 0);
}

PutResult CacheStorage::Commit(int64_t row_id, const RowLocation& location, int64_t reserved) {
  PutResult result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    reserved_bytes_ -= reserved;
    if (!RefusedAnyway(row_id, &result)) {
      rows_[row_id] = location;
      if (location.kind == RowLocation::Kind::kMemory) {
        ++stats_.rows_in_memory;
        stats_.bytes_in_memory += location.size;
        result.outcome = PutOutcome::kInMemory;
      } else {
        ++stats_.rows_on_disk;
        stats_.bytes_on_disk += location.size;
        result.outcome = PutOutcome::kOnDisk;
      }
      return result;
    }
  }
  // Another writer cached the same id first (or the pass completed): drop this copy.
  // Bytes already appended to the spill file stay there unused; the file only grows.
  if (location.kind == RowLocation::Kind::kMemory) {
    store_->Release(location.offset).IgnoreError();
  }
  return result;
}

std::vector<bool> CacheStorage::Lookup(const std::vector<int64_t>& row_ids) const {
  std::vector<bool> cached(row_ids.size());
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < row_ids.size(); ++i) cached[i] = rows_.count(row_ids[i]) != 0;
  return cached;
}

std::vector<RowLocation> CacheStorage::Locate(const std::vector<int64_t>& row_ids) const {
  std::vector<RowLocation> locations(row_ids.size());
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < row_ids.size(); ++i) {
    auto it = rows_.find(row_ids[i]);
    if (it != rows_.end()) locations[i] = it->second;
  }
  return locations;
}

Status CacheStorage::LendBlock(const RowLocation& location) const {
  if (location.kind != RowLocation::Kind::kMemory) {
    return Status::Internal("LendBlock: the row is not in memory");
  }
  return store_->AddRef(location.offset);
}

Status CacheStorage::CopyRow(const RowLocation& location, uint8_t* out) const {
  switch (location.kind) {
    case RowLocation::Kind::kMemory:
      // Our reference keeps the block, and rows are never rewritten: no lock needed.
      std::memcpy(out, store_->data(location.offset), static_cast<size_t>(location.size));
      return Status::OK();
    case RowLocation::Kind::kDisk: {
      const SpillFile* file = nullptr;
      {
        std::lock_guard<std::mutex> lock(mu_);
        file = spill_file_.get();
      }
      if (file == nullptr) return Status::Internal("a spilled row without a spill file");
      return file->Read(location.offset, location.size, out);
    }
    case RowLocation::Kind::kMissing:
      break;
  }
  return Status::Internal("CopyRow: the row is not cached");
}

void CacheStorage::CountReads(int64_t hits, int64_t misses) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.hits += hits;
  stats_.misses += misses;
}

Result<bool> CacheStorage::SetComplete(int64_t rows) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto held = static_cast<int64_t>(rows_.size());
  if (rows < 0 || rows < held) {
    return Status::InvalidArgument("rows must be the rows of the pass, at least the " +
                                   std::to_string(held) + " the cache holds; got " +
                                   std::to_string(rows));
  }
  if (held == rows) stats_.complete = true;
  return stats_.complete;
}

bool CacheStorage::complete() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_.complete;
}

int64_t CacheStorage::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(rows_.size());
}

CacheStorageStatistics CacheStorage::GetStatistics() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace headrace::cache
