#include "headrace/engine/sources/data_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <tuple>

namespace headrace::engine {

Status FileError(const std::string& what, const std::string& path, int error) {
  const std::string message = "cannot " + what + " " + path + ": " + std::strerror(error);
  if (error == ENOENT) return Status::NotFound(message);
  if (error == EACCES || error == EPERM) return Status::PermissionDenied(message);
  return Status::DataLoss(message);
}

Status TruncatedError(const std::string& path, int64_t offset, int64_t wanted, int64_t got,
                      const char* what) {
  return Status::DataLoss(path + " is truncated at byte " + std::to_string(offset) + ": " +
                          std::to_string(wanted) + " bytes of " + what + " wanted, " +
                          std::to_string(got) + " there");
}

// One read-only mapping of a whole file, unmapped when the file and every view let go.
struct DataFile::Mapping {
  Mapping(uint8_t* address, size_t length) : address(address), length(length) {}
  ~Mapping() {
    if (length > 0) munmap(address, length);
  }
  uint8_t* const address;
  const size_t length;
};

DataFile::~DataFile() { close(fd_); }

Result<std::shared_ptr<DataFile::Mapping>> DataFile::SharedMapping() const {
  // The mappings of the process by file; an entry whose mapping is gone is replaced.
  static std::mutex mu;
  static std::map<std::tuple<uint64_t, uint64_t, int64_t>, std::weak_ptr<Mapping>> mappings;
  std::lock_guard<std::mutex> lock(mu);
  std::weak_ptr<Mapping>& entry = mappings[{device_, inode_, size_}];
  if (std::shared_ptr<Mapping> shared = entry.lock()) return shared;
  void* address = nullptr;
  if (size_ > 0) {
    address = mmap(nullptr, static_cast<size_t>(size_), PROT_READ, MAP_SHARED, fd_, 0);
    if (address == MAP_FAILED) return FileError("map", path_, errno);
    // Records are read front to back: let the kernel map pages ahead of the reader.
    madvise(address, static_cast<size_t>(size_), MADV_SEQUENTIAL);
  }
  auto mapping = std::make_shared<Mapping>(static_cast<uint8_t*>(address), static_cast<size_t>(size_));
  entry = mapping;
  // Drop entries of mappings that are gone, so the table stays as small as what is mapped.
  for (auto it = mappings.begin(); it != mappings.end();) {
    it = it->second.expired() ? mappings.erase(it) : std::next(it);
  }
  return mapping;
}

Result<BufferPtr> DataFile::View(int64_t offset, int64_t count, const char* what,
                                 bool map_pages) const {
  if (offset < 0 || count < 0 || offset + count > size_) {
    return TruncatedError(path_, offset, count, std::max<int64_t>(0, std::min(count, size_ - offset)), what);
  }
  std::call_once(mapped_, [this] {
    Result<std::shared_ptr<Mapping>> mapping = SharedMapping();
    if (mapping.ok()) {
      mapping_ = std::move(*mapping);
    } else {
      mapping_status_ = mapping.status();
    }
  });
  if (!mapping_) return mapping_status_;
  uint8_t* start = mapping_->address + offset;
  // The view's pages are mapped now, on the reader's thread, in one call: a view is bytes
  // in memory, as a read would give, and whoever reads it later (NumPy, a decoder) does not
  // take a page fault per page. (Kernels before 5.14 do not know the advice: no harm.)
  if (map_pages && count > 0) {
    const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const uintptr_t first = reinterpret_cast<uintptr_t>(start) & ~(page - 1);
    madvise(reinterpret_cast<void*>(first), reinterpret_cast<uintptr_t>(start) + count - first,
            MADV_POPULATE_READ);
  }
  auto buffer = Buffer::Wrap(start, count, /*is_mutable=*/false, [mapping = mapping_] {});
  buffer->set_origin(path_);
  return buffer;
}

Result<std::unique_ptr<DataFile>> DataFile::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("open", path, errno);
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return FileError("stat", path, error);
  }
  if (S_ISDIR(info.st_mode)) {
    close(fd);
    return Status::InvalidArgument("cannot read " + path + ": it is a directory");
  }
  return std::unique_ptr<DataFile>(new DataFile(fd, path, static_cast<int64_t>(info.st_size),
                                                static_cast<uint64_t>(info.st_dev),
                                                static_cast<uint64_t>(info.st_ino)));
}

Result<int64_t> DataFile::ReadAt(int64_t offset, int64_t count, uint8_t* destination) const {
  int64_t done = 0;
  while (done < count) {
    const ssize_t got = pread(fd_, destination + done, static_cast<size_t>(count - done),
                              static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return FileError("read", path_, errno);
    if (got == 0) break;
    done += got;
  }
  return done;
}

Status DataFile::ReadExactlyAt(int64_t offset, int64_t count, uint8_t* destination,
                               const char* what) const {
  ASSIGN_OR_RETURN(int64_t got, ReadAt(offset, count, destination));
  if (got != count) return TruncatedError(path_, offset, count, got, what);
  return Status::OK();
}

Result<TensorPtr> DataFile::ReadWhole(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, Open(path));
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(file->size()));
  ASSIGN_OR_RETURN(int64_t got, file->ReadAt(0, file->size(), buffer->mutable_data()));
  if (got != file->size()) return Status::DataLoss("cannot read " + path + ": it shrank while being read");
  buffer->set_origin(path);
  return Tensor::FromBuffer(DataType::kUInt8, Shape{file->size()}, std::move(buffer));
}

}  // namespace headrace::engine
