// CacheStorage: the rows of one cache on the server, keyed by row id.
//
// A row lives in one of two places for as long as its cache lives (nothing is evicted:
// in training every cached row is read again next epoch, so what matters is that it stays):
//   - memory: a block of the server's SharedStore of which this storage owns one
//     reference, while the cache's memory limit and the store's capacity allow;
//   - disk: a range of the cache's SpillFile, beyond that, when the cache spills.
// A row that fits neither (full and not spilling, or the disk is full) is refused: the
// client recomputes it next time. A full disk is reported in the outcome, never as an
// error of the server.
//
// Rows arrive as bytes (copied into a new block) or, from a local client, as a block the
// client filled, whose reference the storage takes over (kept, or copied to disk and
// released, or released). Reads either lend a memory row's block (one more reference,
// which the reader releases) or copy the row's bytes out.
//
// Ownership: holds the store; owns its row blocks' references and its spill file. The
// destructor releases every block and deletes the file; whoever still reads a row holds
// the storage through a shared_ptr (see SessionTable), so rows never go mid-read.
// Threading: every method may be called from any thread concurrently. One mutex guards
// the row table and statistics; copies, disk I/O and allocations happen outside it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "headrace/cache/spill_file.h"
#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/memory/shared_store.h"

namespace headrace::cache {

struct CacheStorageOptions {
  // Bytes of rows this cache may keep in memory; 0: as many as the store holds.
  int64_t memory_limit = 0;
  // The spill file to create at the first row that does not fit in memory; empty: rows
  // that do not fit are refused.
  std::string spill_path;
};

struct CacheStorageStatistics {
  int64_t rows_in_memory = 0;
  int64_t bytes_in_memory = 0;  // row bytes (not block sizes)
  int64_t rows_on_disk = 0;
  int64_t bytes_on_disk = 0;
  // Rows not admitted for want of room: full and not spilling, or the spill write failed.
  int64_t rows_refused = 0;
  // Of rows_refused, those whose spill write failed (disk full, I/O error).
  int64_t spill_failures = 0;
  int64_t hits = 0;
  int64_t misses = 0;
  bool complete = false;
};

// What became of one written row.
enum class PutOutcome {
  kInMemory,
  kOnDisk,
  kAlreadyCached,    // the row id was cached before: the new copy is dropped
  kRefusedComplete,  // the cache is complete: it takes no more rows
  kRefusedFull,      // no room in memory and the cache does not spill
  kRefusedDiskError  // no room in memory and the spill write failed (see PutResult)
};

struct PutResult {
  PutOutcome outcome = PutOutcome::kRefusedFull;
  // Why, for kRefusedDiskError (ResourceExhausted for a full disk); OK otherwise.
  Status disk_error;

  bool admitted() const {
    return outcome == PutOutcome::kInMemory || outcome == PutOutcome::kOnDisk;
  }
};

// Where a row is, as Locate found it.
struct RowLocation {
  enum class Kind { kMissing, kMemory, kDisk };
  Kind kind = Kind::kMissing;
  int64_t offset = 0;  // block offset in the store, or byte offset in the spill file
  int64_t size = 0;
};

class CacheStorage {
 public:
  CacheStorage(std::shared_ptr<memory::SharedStore> store, CacheStorageOptions options);
  ~CacheStorage();
  CacheStorage(const CacheStorage&) = delete;
  CacheStorage& operator=(const CacheStorage&) = delete;

  // Stores `size` bytes at `data` as row `row_id` (copied).
  PutResult PutBytes(int64_t row_id, const uint8_t* data, int64_t size);
  // Takes over one reference to the store's block at `offset`, whose first `size` bytes
  // are the row, whatever the outcome. The caller has checked that `offset` is a live
  // block and that `size` fits it (CacheServiceImpl validates requests).
  PutResult PutBlock(int64_t row_id, int64_t offset, int64_t size);

  // One flag per id: whether the row is cached. Counts neither hits nor misses.
  std::vector<bool> Lookup(const std::vector<int64_t>& row_ids) const;
  // Where each row is, under one lock. Rows never move or go while the storage lives.
  std::vector<RowLocation> Locate(const std::vector<int64_t>& row_ids) const;
  // One more reference to a memory row's block, for a reader who releases it.
  [[nodiscard]] Status LendBlock(const RowLocation& location) const;
  // Copies a memory or disk row's `location.size` bytes to `out`. DataLoss or Internal
  // when the spill file cannot be read.
  [[nodiscard]] Status CopyRow(const RowLocation& location, uint8_t* out) const;
  // Adds to the hit and miss counts (ReadRows counts once per request).
  void CountReads(int64_t hits, int64_t misses);

  // Marks the cache complete if it holds exactly `rows` rows (a streaming pass written in
  // full); with fewer (some were refused) it stays incomplete and this returns false.
  // InvalidArgument (naming `rows`) for a negative count or fewer rows than it holds.
  Result<bool> SetComplete(int64_t rows);
  bool complete() const;
  // Rows held, in memory and on disk.
  int64_t rows() const;
  CacheStorageStatistics GetStatistics() const;
  // The spill file's path ("" when the cache does not spill).
  const std::string& spill_path() const { return options_.spill_path; }

 private:
  // The row's bytes to the spill file, or refused.
  PutResult Spill(int64_t row_id, const uint8_t* data, int64_t size);
  // Enters a row stored at `location` unless the id got cached meanwhile or the cache
  // completed: then the copy is dropped (a block released) and the outcome says why.
  // `reserved` memory bytes are returned to the limit either way.
  PutResult Commit(int64_t row_id, const RowLocation& location, int64_t reserved);
  // The row's outcome if it cannot be admitted now whatever the room (complete, cached).
  bool RefusedAnyway(int64_t row_id, PutResult* result) const
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `size` more bytes stay within the memory limit (reservations included).
  bool FitsLimit(int64_t size) const HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Result<SpillFile*> GetSpillFile();

  const std::shared_ptr<memory::SharedStore> store_;
  const CacheStorageOptions options_;

  mutable std::mutex mu_;
  std::unordered_map<int64_t, RowLocation> rows_ HEADRACE_GUARDED_BY(mu_);
  // Memory bytes promised to writes still copying their row into a new block.
  int64_t reserved_bytes_ HEADRACE_GUARDED_BY(mu_) = 0;
  CacheStorageStatistics stats_ HEADRACE_GUARDED_BY(mu_);
  // Made at the first spill; never replaced, so a pointer to it stays valid.
  std::unique_ptr<SpillFile> spill_file_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::cache
