#include "headrace/engine/sources/data_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

DataFile::~DataFile() { close(fd_); }

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
  return std::unique_ptr<DataFile>(new DataFile(fd, path, static_cast<int64_t>(info.st_size)));
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
