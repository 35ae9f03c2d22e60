// FileListSource: rows of (file bytes, label) read from a list of files
// (ImageFolderDataset lists the folders in Python and hands the paths here).
//
// Row i is the whole of file paths[i] as a 1-D uint8 tensor, read without the GIL by the
// source op's workers, and labels[i] as an int32 scalar. The bytes' buffer records the
// path as its origin, so that a transform that finds them corrupt (Decode) names the file.
// Errors: a file that cannot be read is NotFound / PermissionDenied / DataLoss naming it.
#pragma once

#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::engine {

class FileListSource : public RandomAccessSource {
 public:
  // InvalidArgument when paths and labels differ in number or column_names is not two names.
  static Result<std::shared_ptr<FileListSource>> Make(std::vector<std::string> paths,
                                                      std::vector<int32_t> labels,
                                                      std::vector<std::string> column_names);

  int64_t size() const override { return static_cast<int64_t>(paths_.size()); }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override;

 private:
  FileListSource(std::vector<std::string> paths, std::vector<int32_t> labels,
                 std::vector<std::string> names)
      : paths_(std::move(paths)), labels_(std::move(labels)), names_(std::move(names)) {}

  const std::vector<std::string> paths_;
  const std::vector<int32_t> labels_;
  const std::vector<std::string> names_;
};

}  // namespace headrace::engine
