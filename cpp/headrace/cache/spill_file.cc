#include "headrace/cache/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace headrace::cache {

SpillFile::SpillFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

Result<std::unique_ptr<SpillFile>> SpillFile::Create(std::string path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Internal("cannot create spill file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<SpillFile>(new SpillFile(fd, std::move(path)));
}

SpillFile::~SpillFile() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

int64_t SpillFile::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return end_;
}

Result<int64_t> SpillFile::Append(const uint8_t* data, int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("spill file: cannot append " + std::to_string(size) +
                                   " bytes");
  }
  // The lock covers the write: appends to one file cannot go faster than the disk anyway,
  // and a failed append can then be trimmed without stranding another writer's bytes.
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t start = end_;
  int64_t written = 0;
  while (written < size) {
    const ssize_t n = ::pwrite(fd_, data + written, static_cast<size_t>(size - written),
                               static_cast<off_t>(start + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      // Give back what the partial write took: the row is refused, not half kept.
      if (::ftruncate(fd_, static_cast<off_t>(start)) != 0) {
        // The tail stays as garbage past end_; later appends overwrite it.
      }
      const std::string what = "cannot write " + std::to_string(size) +
                               " bytes to spill file " + path_ + ": " + std::strerror(error);
      if (error == ENOSPC || error == EDQUOT || error == EFBIG) {
        return Status::ResourceExhausted(what);
      }
      return Status::Internal(what);
    }
    written += n;
  }
  end_ = start + size;
  return start;
}

Status SpillFile::Read(int64_t offset, int64_t size, uint8_t* out) const {
  int64_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd_, out + done, static_cast<size_t>(size - done),
                              static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::Internal("cannot read spill file " + path_ + ": " + std::strerror(errno));
    }
    if (n == 0) {
      return Status::DataLoss("spill file " + path_ + " ends before byte " +
                              std::to_string(offset + size) + " of a cached row");
    }
    done += n;
  }
  return Status::OK();
}

}  // namespace headrace::cache
