// DataFile: one file of a data set opened for reading, with errors that name it.
//
// Every reader of a file format (record files, MNIST, CIFAR, image folders) goes through
// this, so that a missing, unreadable or truncated file is reported the same way:
//   NotFound          "cannot open /data/a.tfrecord: No such file or directory"
//   PermissionDenied  "cannot open /data/a.tfrecord: Permission denied"
//   DataLoss          "/data/a.tfrecord is truncated at byte 1024: 12 bytes wanted, 3 there"
// Reads use pread and need no seek, so one DataFile may be read by several threads at
// once; Open and the destructor are the only calls that are not thread safe.
//
// View() hands out bytes of the file without copying them: the file is mapped (read only)
// and a view is a Buffer over the mapping that keeps it alive, so a large record can reach
// NumPy straight from the page cache. Every DataFile of one file (same device, inode and
// size) shares one mapping while any of them or any view lives, so that readers taking
// turns on pieces of one file do not map it, and fault its pages in, again and again. The file must then not be truncated while
// views are read (as with numpy.memmap, reading a page past the new end raises SIGBUS).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace::engine {

class DataFile {
 public:
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;
  ~DataFile();

  static Result<std::unique_ptr<DataFile>> Open(const std::string& path);

  const std::string& path() const { return path_; }
  // The size when the file was opened.
  int64_t size() const { return size_; }

  // Up to `count` bytes from `offset` into `destination`; returns how many were read
  // (fewer only at the end of the file).
  Result<int64_t> ReadAt(int64_t offset, int64_t count, uint8_t* destination) const;
  // Exactly `count` bytes from `offset`, or DataLoss naming the file, the offset and what
  // `what` is ("record header").
  Status ReadExactlyAt(int64_t offset, int64_t count, uint8_t* destination,
                       const char* what = "data") const;

  // Bytes [offset, offset + count) as a read-only buffer over the mapped file, its pages
  // mapped in before it returns, or DataLoss naming the file when they pass its end. Any
  // thread.
  // `map_pages` false leaves the pages to be faulted in by the first reader (a caller that
  // reads every byte at once, as a CRC check does, loses nothing by it).
  Result<BufferPtr> View(int64_t offset, int64_t count, const char* what = "data",
                         bool map_pages = true) const;

  // The whole file as a 1-D uint8 tensor whose buffer's origin is the path.
  static Result<TensorPtr> ReadWhole(const std::string& path);

 private:
  struct Mapping;

  DataFile(int fd, std::string path, int64_t size, uint64_t device, uint64_t inode)
      : fd_(fd), path_(std::move(path)), size_(size), device_(device), inode_(inode) {}

  Result<std::shared_ptr<Mapping>> SharedMapping() const;

  const int fd_;
  const std::string path_;
  const int64_t size_;
  const uint64_t device_;
  const uint64_t inode_;
  // Made by the first View(); lives as long as this file or a view of it.
  mutable std::once_flag mapped_;
  mutable std::shared_ptr<Mapping> mapping_;
  mutable Status mapping_status_;
};

// The Status for a failed system call on `path` (errno `error`): NotFound, PermissionDenied
// or DataLoss, "cannot <what> <path>: <strerror>".
Status FileError(const std::string& what, const std::string& path, int error);

// DataLoss "<path> is truncated at byte <offset>: <wanted> bytes of <what> wanted, <got> there".
Status TruncatedError(const std::string& path, int64_t offset, int64_t wanted, int64_t got,
                      const char* what);

}  // namespace headrace::engine
