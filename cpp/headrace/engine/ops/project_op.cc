#include "headrace/engine/ops/project_op.h"

namespace headrace::engine {

Status ProjectOp::ProcessBlock(RowBlock* block, BlockPlace /*place*/) {
  for (TensorRow& row : *block) {
    if (!row.is_data()) continue;
    TensorColumns columns;
    columns.reserve(indices_.size());
    for (int index : indices_) columns.push_back(row[index]);
    row.mutable_columns() = std::move(columns);
  }
  return Status::OK();
}

std::string ProjectOp::Describe() const {
  std::string out = "Project(columns=[";
  for (size_t i = 0; i < indices_.size(); ++i) out += (i ? ", " : "") + std::to_string(indices_[i]);
  return out + "])";
}

}  // namespace headrace::engine
