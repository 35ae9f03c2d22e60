#include "headrace/transforms/concatenate.h"

#include "headrace/transforms/tensor_gather.h"

namespace headrace::transforms {

namespace {

std::string TypeName(const TensorPtr& tensor) { return std::string(DataTypeName(tensor->dtype())); }

}  // namespace

Result<std::shared_ptr<Concatenate>> Concatenate::Make(int64_t axis, TensorPtr prepend, TensorPtr append) {
  if (axis != 0 && axis != -1) {
    return Status::InvalidArgument("Concatenate: only 1D concatenation supported, got axis " +
                                   std::to_string(axis));
  }
  if (prepend != nullptr && prepend->rank() != 1) {
    return Status::InvalidArgument("Concatenate: can only prepend 1D arrays, got " + prepend->ToString());
  }
  if (append != nullptr && append->rank() != 1) {
    return Status::InvalidArgument("Concatenate: can only append 1D arrays, got " + append->ToString());
  }
  return std::make_shared<Concatenate>(std::move(prepend), std::move(append));
}

Status Concatenate::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->empty()) return Status::InvalidArgument("Concatenate: expected at least one column");
  const TensorPtr& first = columns->front();
  std::vector<const Tensor*> parts;
  if (prepend_ != nullptr) parts.push_back(prepend_.get());
  for (const TensorPtr& column : *columns) {
    if (column->rank() != 1) {
      return Status::InvalidArgument("Concatenate: only 1D input supported, got rank of input: " +
                                     std::to_string(column->rank()));
    }
    if (column->dtype() != first->dtype()) {
      return Status::InvalidArgument("Concatenate: inconsistent datatype of input, got " + TypeName(first) +
                                     " and " + TypeName(column));
    }
    parts.push_back(column.get());
  }
  if (prepend_ != nullptr && prepend_->dtype() != first->dtype()) {
    return Status::InvalidArgument("Concatenate: input datatype does not match the prepend datatype, "
                                   "got input datatype: " + TypeName(first) + ", prepend datatype: " +
                                   TypeName(prepend_));
  }
  if (append_ != nullptr && append_->dtype() != first->dtype()) {
    return Status::InvalidArgument("Concatenate: input datatype does not match the append datatype, "
                                   "got input datatype: " + TypeName(first) + ", append datatype: " +
                                   TypeName(append_));
  }
  if (append_ != nullptr) parts.push_back(append_.get());
  std::vector<ElementPick> picks;
  for (size_t p = 0; p < parts.size(); ++p) {
    for (int64_t i = 0; i < parts[p]->num_elements(); ++i) picks.push_back({static_cast<int>(p), i});
  }
  const Shape shape{static_cast<int64_t>(picks.size())};
  ASSIGN_OR_RETURN(TensorPtr out, GatherElements(parts, picks, first->dtype(), shape));
  columns->assign(1, std::move(out));
  return Status::OK();
}

}  // namespace headrace::transforms
