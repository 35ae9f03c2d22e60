#include "headrace/engine/sources/file_list_source.h"

#include "headrace/engine/sources/data_file.h"

namespace headrace::engine {

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

Status FileListSource::Get(int64_t index, TensorRow* row) {
  ASSIGN_OR_RETURN(TensorPtr bytes, DataFile::ReadWhole(paths_[static_cast<size_t>(index)]));
  ASSIGN_OR_RETURN(TensorPtr label, Tensor::Scalar(DataType::kInt32, labels_[static_cast<size_t>(index)]));
  row->mutable_columns() = {std::move(bytes), std::move(label)};
  return Status::OK();
}

}  // namespace headrace::engine
