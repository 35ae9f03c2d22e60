#include "headrace/engine/ops/filter_op.h"

namespace headrace::engine {

namespace {

// The predicate's name is looked up only for the error: this runs once per row.
Result<bool> Truth(const TensorList& result, const transforms::TensorOp& predicate) {
  if (result.size() != 1 || result[0]->num_elements() != 1 ||
      !IsFixedWidth(result[0]->dtype())) {
    std::string got = result.size() == 1 ? result[0]->ToString()
                                         : std::to_string(result.size()) + " columns";
    return Status::InvalidArgument("filter: predicate '" + predicate.name() +
                                   "' must return one bool, got " + got);
  }
  const uint8_t* bytes = result[0]->data();
  for (int64_t i = 0; i < ElementSize(result[0]->dtype()); ++i) {
    if (bytes[i] != 0) return true;
  }
  return false;
}

}  // namespace

Status FilterOp::ProcessBlock(RowBlock* block, BlockPlace /*place*/) {
  std::vector<TensorList> arguments;
  for (const TensorRow& row : *block) {
    if (!row.is_data()) continue;
    TensorList& columns = arguments.emplace_back();
    for (int index : input_indices_) columns.push_back(row[index]);
  }
  // A predicate is not a random transform: it gets no seeds of its own.
  RETURN_IF_ERROR(predicate_->ComputeBlock(&arguments, std::vector<uint64_t>(arguments.size())));
  RowBlock kept;
  kept.reserve(block->size());
  size_t next = 0;
  for (TensorRow& row : *block) {
    if (row.is_data()) {
      ASSIGN_OR_RETURN(bool keep, Truth(arguments[next++], *predicate_));
      if (!keep) continue;
    }
    kept.push_back(std::move(row));
  }
  block->swap(kept);
  return Status::OK();
}

std::string FilterOp::Describe() const {
  return "Filter(workers=" + std::to_string(num_workers()) + ", predicate=" + predicate_->name() + ")";
}

}  // namespace headrace::engine
