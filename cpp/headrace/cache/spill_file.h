// SpillFile: one cache's rows beyond its memory limit, in an append-only file on disk.
//
// The cache server writes a row that does not fit in memory at the end of the cache's
// spill file and remembers (offset, size); reads are pread()s of that range, so readers
// never wait for writers. Nothing is ever rewritten or removed: cached rows are not
// evicted, and the whole file goes with its cache (the destructor closes and deletes it).
//
// A full disk is an expected condition, not a failure of the server: Append reports it as
// ResourceExhausted and trims the file back to where it was, so the caller can refuse the
// row and carry on.
//
// Ownership: owns the fd and the file at path(). Threading: Append may be called from
// several threads (appends are serialised by a mutex); Read from any thread concurrently
// with anything, for ranges an Append returned.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"

namespace headrace::cache {

class SpillFile {
 public:
  // Creates `path` (which must not exist; mode 0600). Internal naming the path and the
  // reason when it cannot be created.
  static Result<std::unique_ptr<SpillFile>> Create(std::string path);

  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `size` bytes and returns the offset they start at. ResourceExhausted when the
  // disk (or a quota) is full, Internal for another write error; either way the file is
  // as before the call.
  Result<int64_t> Append(const uint8_t* data, int64_t size);

  // Reads [offset, offset + size) into `out`. DataLoss if the file is shorter (someone
  // else truncated it), Internal for a read error.
  Status Read(int64_t offset, int64_t size, uint8_t* out) const;

  const std::string& path() const { return path_; }
  // Bytes appended so far.
  int64_t size() const;

 private:
  SpillFile(int fd, std::string path);

  const int fd_;
  const std::string path_;
  mutable std::mutex mu_;
  int64_t end_ HEADRACE_GUARDED_BY(mu_) = 0;
};

}  // namespace headrace::cache
