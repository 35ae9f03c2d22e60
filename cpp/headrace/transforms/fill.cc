#include "headrace/transforms/fill.h"

#include "headrace/core/cast.h"
#include "headrace/transforms/tensor_gather.h"

namespace headrace::transforms {

Result<std::shared_ptr<Fill>> Fill::Make(TensorPtr value) {
  if (value->num_elements() != 1) {
    return Status::InvalidArgument("Fill: fill_value must be one value, got " + value->ToString());
  }
  return std::make_shared<Fill>(std::move(value));
}

Status Fill::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Fill: expected one column, got " + std::to_string(columns->size()));
  }
  const TensorPtr& input = columns->front();
  const DataType dtype = input->dtype();
  TensorPtr value = value_;
  if (IsFixedWidth(dtype) && IsFixedWidth(value->dtype())) {
    ASSIGN_OR_RETURN(value, CastTensor(value_, dtype));
  } else if (dtype != value->dtype()) {
    return Status::InvalidArgument(
        "Fill: fill_value and the input tensor must be of the same data type when involving "
        "strings or bytes, but got fill_value data type " + std::string(DataTypeName(value->dtype())) +
        " and input tensor data type " + std::string(DataTypeName(dtype)));
  }
  const std::vector<ElementPick> picks(static_cast<size_t>(input->num_elements()), ElementPick{0, 0});
  ASSIGN_OR_RETURN(columns->front(), GatherElements({value.get()}, picks, dtype, input->shape()));
  return Status::OK();
}

}  // namespace headrace::transforms
