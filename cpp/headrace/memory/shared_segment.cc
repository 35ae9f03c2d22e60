#include "headrace/memory/shared_segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "headrace/memory/byte_size.h"

namespace headrace::memory {

namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// Free bytes for an unprivileged writer (f_bavail, not f_bfree: root's reserve is not ours).
int64_t FreeBytesOf(const struct statvfs& stats) {
  return static_cast<int64_t>(stats.f_bavail) * static_cast<int64_t>(stats.f_frsize);
}

// `what` names the request with its size, e.g. "cannot reserve 16.0 MiB (...)".
Status NoSpace(const std::string& what, const std::string& location, int64_t free_bytes) {
  return Status::ResourceExhausted(what + " in " + location + ": only " +
                                   FormatBytes(free_bytes) +
                                   " are free there; free space there or ask for less");
}

// 16 hex digits from the kernel's random pool: the name must not be guessable, or another
// local user could pre-create it (O_EXCL would then fail) or race us to open it.
Result<std::string> RandomHex() {
  uint64_t bits = 0;
  for (;;) {
    const ssize_t n = ::getrandom(&bits, sizeof(bits), 0);
    if (n == static_cast<ssize_t>(sizeof(bits))) break;
    if (n < 0 && errno == EINTR) continue;
    return Status::Internal("cannot name a shared-memory segment: getrandom failed: " +
                            ErrnoText(n < 0 ? errno : EIO));
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016" PRIx64, bits);
  return std::string(hex);
}

// Opens a fresh file in `directory` and unlinks it at once; returns the fd.
Result<int> OpenUnlinked(const std::string& directory) {
  // A collision of 64 random bits is not expected; the retries only keep a freak EEXIST
  // from becoming an error.
  for (int attempt = 0; attempt < 4; ++attempt) {
    ASSIGN_OR_RETURN(std::string hex, RandomHex());
    const std::string path =
        directory + "/headrace-" + std::to_string(::getpid()) + "-" + hex;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return Status::Internal("cannot create shared-memory file " + path + ": " +
                              ErrnoText(errno));
    }
    // Unlinked before anything else can fail: from here on only the fd names the file, so
    // no exit, crash or SIGKILL can leave it behind.
    if (::unlink(path.c_str()) != 0) {
      const int error = errno;
      ::close(fd);
      return Status::Internal("cannot unlink shared-memory file " + path + ": " +
                              ErrnoText(error));
    }
    return fd;
  }
  return Status::Internal("cannot create a shared-memory file in " + directory +
                          ": every random name was taken");
}

Result<uint8_t*> MapShared(int fd, int64_t capacity, const std::string& what) {
  void* data = ::mmap(nullptr, static_cast<size_t>(capacity), PROT_READ | PROT_WRITE,
                      MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const int error = errno;
    const std::string text = "cannot map " + what + " (" + FormatBytes(capacity) +
                             "): " + ErrnoText(error);
    return error == ENOMEM ? Status::ResourceExhausted(text) : Status::Internal(text);
  }
  return static_cast<uint8_t*>(data);
}

}  // namespace

SharedSegment::SharedSegment(int fd, uint8_t* data, int64_t capacity, std::string location)
    : fd_(fd), data_(data), capacity_(capacity), location_(std::move(location)) {}

SharedSegment::~SharedSegment() {
  ::munmap(data_, static_cast<size_t>(capacity_));
  ::close(fd_);
}

Result<std::unique_ptr<SharedSegment>> SharedSegment::Create(int64_t capacity,
                                                             const std::string& directory) {
  if (capacity <= 0) {
    return Status::InvalidArgument("shared-memory segment capacity must be positive, got " +
                                   std::to_string(capacity));
  }
  // Checked up front: tmpfs happily creates a file larger than its free space, and the
  // process then dies of SIGBUS on the first page that cannot be had, far from the cause.
  struct statvfs stats {};
  if (::statvfs(directory.c_str(), &stats) != 0) {
    return Status::InvalidArgument("cannot create a shared-memory segment in " + directory +
                                   ": " + ErrnoText(errno));
  }
  const int64_t free_bytes = FreeBytesOf(stats);
  if (free_bytes < capacity) {
    return NoSpace("cannot create a shared-memory segment of " + FormatBytes(capacity),
                   directory, free_bytes);
  }

  ASSIGN_OR_RETURN(const int fd, OpenUnlinked(directory));
  if (::ftruncate(fd, static_cast<off_t>(capacity)) != 0) {
    const int error = errno;
    ::close(fd);
    return Status::Internal("cannot size a shared-memory segment in " + directory + " to " +
                            FormatBytes(capacity) + ": " + ErrnoText(error));
  }
  Result<uint8_t*> data = MapShared(fd, capacity, "a shared-memory segment in " + directory);
  if (!data.ok()) {
    ::close(fd);
    return data.status();
  }
  return std::unique_ptr<SharedSegment>(new SharedSegment(fd, *data, capacity, directory));
}

Result<std::unique_ptr<SharedSegment>> SharedSegment::Attach(int fd) {
  const std::string name = "fd " + std::to_string(fd);
  // Our own descriptor, so that the caller's may be closed (or reused) independently.
  const int own_fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own_fd < 0) {
    return Status::InvalidArgument("cannot attach a shared-memory segment from " + name +
                                   ": " + ErrnoText(errno));
  }
  struct stat file_stats {};
  if (::fstat(own_fd, &file_stats) != 0) {
    const int error = errno;
    ::close(own_fd);
    return Status::InvalidArgument("cannot attach a shared-memory segment from " + name +
                                   ": " + ErrnoText(error));
  }
  if (!S_ISREG(file_stats.st_mode) || file_stats.st_size <= 0) {
    ::close(own_fd);
    return Status::InvalidArgument("cannot attach a shared-memory segment from " + name +
                                   ": not a non-empty regular file");
  }
  const auto capacity = static_cast<int64_t>(file_stats.st_size);
  Result<uint8_t*> data = MapShared(own_fd, capacity, "the shared-memory segment of " + name);
  if (!data.ok()) {
    ::close(own_fd);
    return data.status();
  }
  return std::unique_ptr<SharedSegment>(
      new SharedSegment(own_fd, *data, capacity, "the filesystem of " + name));
}

Status SharedSegment::Reserve(int64_t offset, int64_t length) {
  if (offset < 0 || length < 0 || offset > capacity_ || length > capacity_ - offset) {
    return Status::InvalidArgument("cannot reserve [" + std::to_string(offset) + ", +" +
                                   std::to_string(length) + ") of a shared-memory segment of " +
                                   std::to_string(capacity_) + " bytes: out of range");
  }
  if (length == 0) return Status::OK();
  int rc;
  // tmpfs gives up with EINTR when a signal is pending; the pages it got stay, so retrying
  // only does what is left.
  do {
    rc = ::posix_fallocate(fd_, static_cast<off_t>(offset), static_cast<off_t>(length));
  } while (rc == EINTR);
  if (rc == 0) return Status::OK();
  if (rc == ENOSPC) {
    struct statvfs stats {};
    const int64_t free_bytes = ::fstatvfs(fd_, &stats) == 0 ? FreeBytesOf(stats) : 0;
    return NoSpace("cannot reserve " + FormatBytes(length) + " of shared memory", location_,
                   free_bytes);
  }
  return Status::Internal("cannot reserve " + FormatBytes(length) + " of shared memory in " +
                          location_ + ": " + ErrnoText(rc));
}

}  // namespace headrace::memory
