#include "headrace/transforms/pad_end.h"

#include "headrace/core/cast.h"
#include "headrace/transforms/tensor_gather.h"

namespace headrace::transforms {

namespace {

// The value padding `dtype` when the user gave none: 0 for numbers, "" for text.
Result<TensorPtr> DefaultPad(DataType dtype) {
  if (!IsFixedWidth(dtype)) return Tensor::FromStrings(dtype, {}, {std::string_view()});
  ASSIGN_OR_RETURN(TensorPtr zero, Tensor::Scalar<int64_t>(DataType::kInt64, 0));
  return CastTensor(zero, dtype);
}

}  // namespace

Result<TensorPtr> PadOrCut(const TensorPtr& input, const std::vector<int64_t>& shape,
                           const TensorPtr& value) {
  const DataType dtype = input->dtype();
  if (static_cast<int64_t>(shape.size()) != input->rank()) {
    return Status::InvalidArgument("PadEnd: invalid pad shape, as rank of input is: " +
                                   std::to_string(input->rank()) + ", and rank of pad value: " +
                                   std::to_string(shape.size()));
  }
  TensorPtr pad;
  if (value == nullptr) {
    ASSIGN_OR_RETURN(pad, DefaultPad(dtype));
  } else if (IsFixedWidth(dtype) && IsFixedWidth(value->dtype())) {
    ASSIGN_OR_RETURN(pad, CastTensor(value, dtype));
  } else if (SameKind(dtype, value->dtype())) {
    pad = value;
  } else {
    return Status::InvalidArgument("PadEnd: can not pad numeric and string tensors together, but got: " +
                                   std::string(DataTypeName(value->dtype())) + " and " +
                                   std::string(DataTypeName(dtype)) + ".");
  }
  if (pad->dtype() != dtype) {  // string pad for a bytes tensor or the reverse: same bytes
    ASSIGN_OR_RETURN(pad, Tensor::FromStrings(dtype, {}, {pad->StringAt(0)}));
  }
  Shape out_shape;
  for (size_t d = 0; d < shape.size(); ++d) out_shape.push_back(shape[d] < 0 ? input->shape()[d] : shape[d]);
  ASSIGN_OR_RETURN(const int64_t count, NumElements(out_shape));
  const std::vector<int64_t> in_strides = ElementStrides(input->shape());
  const std::vector<int64_t> out_strides = ElementStrides(out_shape);
  std::vector<ElementPick> picks(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t source = 0;
    bool inside = true;
    for (size_t d = 0; d < out_shape.size(); ++d) {
      const int64_t coordinate = (i / out_strides[d]) % out_shape[d];
      inside = inside && coordinate < input->shape()[d];
      source += coordinate * in_strides[d];
    }
    picks[static_cast<size_t>(i)] = inside ? ElementPick{0, source} : ElementPick{1, 0};
  }
  return GatherElements({input.get(), pad.get()}, picks, dtype, out_shape);
}

Result<std::shared_ptr<PadEnd>> PadEnd::Make(std::vector<int64_t> shape, TensorPtr value) {
  for (int64_t size : shape) {
    if (size == 0 || size < -1) {
      return Status::InvalidArgument("PadEnd: pad_shape must hold positive sizes or None, got " +
                                     std::to_string(size));
    }
  }
  if (value != nullptr && value->num_elements() != 1) {
    return Status::InvalidArgument("PadEnd: pad_value must be one value, got " + value->ToString());
  }
  return std::make_shared<PadEnd>(std::move(shape), std::move(value));
}

Status PadEnd::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("PadEnd: expected one column, got " + std::to_string(columns->size()));
  }
  if (columns->front()->rank() == 0) return Status::OK();
  ASSIGN_OR_RETURN(columns->front(), PadOrCut(columns->front(), shape_, value_));
  return Status::OK();
}

}  // namespace headrace::transforms
