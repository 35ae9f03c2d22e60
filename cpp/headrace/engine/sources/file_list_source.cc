#include "headrace/engine/sources/file_list_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace headrace::engine {

namespace {

Status FileError(const std::string& what, const std::string& path, int error) {
  const std::string message = "cannot " + what + " " + path + ": " + std::strerror(error);
  if (error == ENOENT) return Status::NotFound(message);
  if (error == EACCES || error == EPERM) return Status::PermissionDenied(message);
  return Status::DataLoss(message);
}

// Closes the descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::shared_ptr<FileListSource>> FileListSource::Make(std::vector<std::string> paths,
                                                             std::vector<int32_t> labels,
                                                             std::vector<std::string> column_names) {
  if (paths.size() != labels.size()) {
    return Status::InvalidArgument("FileListSource: " + std::to_string(paths.size()) +
                                   " paths but " + std::to_string(labels.size()) + " labels");
  }
  if (column_names.size() != 2) {
    return Status::InvalidArgument("FileListSource: two column names expected, got " +
                                   std::to_string(column_names.size()));
  }
  return std::shared_ptr<FileListSource>(
      new FileListSource(std::move(paths), std::move(labels), std::move(column_names)));
}

Result<TensorPtr> FileListSource::ReadFile(const std::string& path) {
  FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return FileError("open", path, errno);
  struct stat info {};
  if (fstat(file.get(), &info) != 0) return FileError("stat", path, errno);
  const auto size = static_cast<int64_t>(info.st_size);
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(size));
  int64_t done = 0;
  while (done < size) {
    const ssize_t got = read(file.get(), buffer->mutable_data() + done, static_cast<size_t>(size - done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return FileError("read", path, errno);
    if (got == 0) return Status::DataLoss("cannot read " + path + ": it shrank while being read");
    done += got;
  }
  buffer->set_origin(path);
  return Tensor::FromBuffer(DataType::kUInt8, Shape{size}, std::move(buffer));
}

Status FileListSource::Get(int64_t index, TensorRow* row) {
  ASSIGN_OR_RETURN(TensorPtr bytes, ReadFile(paths_[static_cast<size_t>(index)]));
  ASSIGN_OR_RETURN(TensorPtr label, Tensor::Scalar(DataType::kInt32, labels_[static_cast<size_t>(index)]));
  row->mutable_columns() = {std::move(bytes), std::move(label)};
  return Status::OK();
}

}  // namespace headrace::engine
