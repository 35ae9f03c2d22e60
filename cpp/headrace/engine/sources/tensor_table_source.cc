#include "headrace/engine/sources/tensor_table_source.h"

namespace headrace::engine {

Result<std::shared_ptr<TensorTableSource>> TensorTableSource::Make(
    std::vector<std::string> column_names, std::vector<TensorPtr> columns) {
  if (column_names.size() != columns.size()) {
    return Status::InvalidArgument("column_names has " + std::to_string(column_names.size()) +
                                   " names for " + std::to_string(columns.size()) + " columns");
  }
  if (columns.empty()) return Status::InvalidArgument("there must be at least one column");
  int64_t rows = -1;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i]->rank() == 0) {
      return Status::InvalidArgument("column '" + column_names[i] +
                                     "' is a scalar; every column needs a first dimension");
    }
    const int64_t length = columns[i]->shape()[0];
    if (rows >= 0 && length != rows) {
      return Status::InvalidArgument("column '" + column_names[i] + "' has " +
                                     std::to_string(length) + " rows, column '" +
                                     column_names[0] + "' has " + std::to_string(rows));
    }
    rows = length;
  }
  return std::shared_ptr<TensorTableSource>(
      new TensorTableSource(std::move(column_names), std::move(columns), rows));
}

int64_t TensorTableSource::RowBytes() const {
  int64_t bytes = 0;
  for (const TensorPtr& column : columns_) bytes += rows_ > 0 ? column->nbytes() / rows_ : 0;
  return bytes;
}

Status TensorTableSource::Get(int64_t index, TensorRow* row) {
  auto& columns = row->mutable_columns();
  columns.clear();
  columns.reserve(columns_.size());
  for (const TensorPtr& column : columns_) {
    ASSIGN_OR_RETURN(TensorPtr slice, column->Slice(index));
    columns.push_back(std::move(slice));
  }
  return Status::OK();
}

}  // namespace headrace::engine
