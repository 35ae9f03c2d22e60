// SharedSegment: one file-backed shared-memory mapping that several processes map at once.
//
// Create() makes the segment in a tmpfs directory (/dev/shm by default): it checks first
// that the filesystem has room for `capacity` bytes, creates a file with a name nobody can
// guess, sizes and maps it, and unlinks the name at once. From then on the segment is
// reachable only through its fd (inherited over fork() or sent with SCM_RIGHTS) and its
// mappings: nothing is left in the directory even if every process is SIGKILLed, and the
// kernel frees the memory when the last fd and mapping go. Attach() maps such an fd in
// another process.
//
// Pages are not reserved by Create(): a tmpfs file may be larger than the free space, and
// touching a page the filesystem cannot supply kills the process with SIGBUS. Whoever
// writes into the segment first calls Reserve() on the range, which either allocates the
// pages or fails with a ResourceExhausted that says how much was asked and how much is
// free. (SharedStore reserves as its used region grows.)
//
// Ownership: a SharedSegment owns its mapping and its own fd (Attach dups the caller's);
// the destructor unmaps and closes. Other processes keep their own fds and mappings.
// Threading: the accessors and Reserve() are safe from any thread; the bytes themselves
// are shared memory with no synchronisation of their own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/status.h"

namespace headrace::memory {

class SharedSegment {
 public:
  static constexpr const char* kDefaultDirectory = "/dev/shm";

  // A new segment of `capacity` bytes in `directory` (a tmpfs mount, normally).
  // InvalidArgument for capacity <= 0 or a `directory` that cannot be examined;
  // ResourceExhausted, naming both sizes, when the filesystem has less free space than
  // `capacity`; Internal (with the errno text) when a later system call fails.
  static Result<std::unique_ptr<SharedSegment>> Create(
      int64_t capacity, const std::string& directory = kDefaultDirectory);

  // Maps the segment behind `fd`, received from the process that created it. The fd is
  // duplicated (close-on-exec), so the caller keeps and may close its own. The capacity is
  // the file's size. InvalidArgument when `fd` is not an open, non-empty regular file.
  static Result<std::unique_ptr<SharedSegment>> Attach(int fd);

  SharedSegment(const SharedSegment&) = delete;
  SharedSegment& operator=(const SharedSegment&) = delete;
  ~SharedSegment();

  // Allocates the pages of [offset, offset + length) in the filesystem, so that touching
  // them cannot raise SIGBUS. Idempotent (reserved pages stay reserved). InvalidArgument
  // for a range outside the segment; ResourceExhausted, naming the asked and free sizes,
  // when the filesystem is full.
  [[nodiscard]] Status Reserve(int64_t offset, int64_t length);

  // This process's fd of the segment (close-on-exec; pass it on with SCM_RIGHTS, or clear
  // FD_CLOEXEC on a dup before exec).
  int fd() const { return fd_; }
  uint8_t* data() const { return data_; }
  int64_t capacity() const { return capacity_; }
  // Where the segment lives, for messages: the directory, or "the filesystem of fd N".
  const std::string& location() const { return location_; }

 private:
  SharedSegment(int fd, uint8_t* data, int64_t capacity, std::string location);

  const int fd_;
  uint8_t* const data_;
  const int64_t capacity_;
  const std::string location_;
};

}  // namespace headrace::memory
