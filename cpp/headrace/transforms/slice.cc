#include "headrace/transforms/slice.h"

#include "headrace/transforms/tensor_gather.h"

namespace headrace::transforms {

namespace {

// Python's slice.indices(size): the positions slice(start, stop, step) takes from `size`.
std::vector<int64_t> RangePositions(const SliceOption& option, int64_t size) {
  const int64_t step = option.step;
  auto clip = [&](std::optional<int64_t> bound, int64_t if_unset) {
    if (!bound) return if_unset;
    int64_t value = *bound < 0 ? *bound + size : *bound;
    if (value < 0) value = step < 0 ? -1 : 0;
    if (value >= size) value = step < 0 ? size - 1 : size;
    return value;
  };
  const int64_t start = clip(option.start, step < 0 ? size - 1 : 0);
  const int64_t stop = clip(option.stop, step < 0 ? -1 : size);
  std::vector<int64_t> positions;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) positions.push_back(i);
  return positions;
}

Result<std::vector<int64_t>> Positions(const SliceOption& option, int64_t size) {
  switch (option.kind) {
    case SliceOption::Kind::kAll: {
      std::vector<int64_t> all(static_cast<size_t>(size));
      for (int64_t i = 0; i < size; ++i) all[static_cast<size_t>(i)] = i;
      return all;
    }
    case SliceOption::Kind::kRange: return RangePositions(option, size);
    case SliceOption::Kind::kIndices: break;
  }
  std::vector<int64_t> positions;
  for (int64_t index : option.indices) {
    const int64_t position = index < 0 ? index + size : index;
    if (position < 0 || position >= size) {
      return Status::OutOfRange("Slice: index " + std::to_string(index) +
                                " is out of bounds for a dimension of size " + std::to_string(size));
    }
    positions.push_back(position);
  }
  return positions;
}

}  // namespace

Result<std::shared_ptr<Slice>> Slice::Make(std::vector<SliceOption> options) {
  for (const SliceOption& option : options) {
    if (option.kind == SliceOption::Kind::kIndices && option.indices.empty()) {
      return Status::InvalidArgument("Slice: a list of indices can not be empty");
    }
    if (option.kind == SliceOption::Kind::kRange && option.step == 0) {
      return Status::InvalidArgument("Slice: slice step cannot be zero");
    }
  }
  return std::make_shared<Slice>(std::move(options));
}

Status Slice::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Slice: expected one column, got " + std::to_string(columns->size()));
  }
  const TensorPtr& input = columns->front();
  if (static_cast<int64_t>(options_.size()) > input->rank()) {
    return Status::InvalidArgument("Slice: " + std::to_string(options_.size()) +
                                   " slices for a tensor of rank " + std::to_string(input->rank()));
  }
  std::vector<std::vector<int64_t>> positions;
  Shape shape;
  for (size_t d = 0; d < input->shape().size(); ++d) {
    const SliceOption option = d < options_.size() ? options_[d] : SliceOption::All();
    ASSIGN_OR_RETURN(std::vector<int64_t> along, Positions(option, input->shape()[d]));
    shape.push_back(static_cast<int64_t>(along.size()));
    positions.push_back(std::move(along));
  }
  ASSIGN_OR_RETURN(const int64_t count, NumElements(shape));
  const std::vector<int64_t> in_strides = ElementStrides(input->shape());
  const std::vector<int64_t> out_strides = ElementStrides(shape);
  std::vector<ElementPick> picks(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t source = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      source += positions[d][static_cast<size_t>((i / out_strides[d]) % shape[d])] * in_strides[d];
    }
    picks[static_cast<size_t>(i)] = ElementPick{0, source};
  }
  ASSIGN_OR_RETURN(columns->front(), GatherElements({input.get()}, picks, input->dtype(), shape));
  return Status::OK();
}

}  // namespace headrace::transforms
