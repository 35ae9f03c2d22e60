#include "headrace/transforms/duplicate.h"

namespace headrace::transforms {

Status Duplicate::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Duplicate: expected one column, got " + std::to_string(columns->size()));
  }
  columns->push_back(columns->front());
  return Status::OK();
}

}  // namespace headrace::transforms
