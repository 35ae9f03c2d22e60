#include "headrace/transforms/tensor_gather.h"

#include <cstring>
#include <string>
#include <string_view>

namespace headrace::transforms {

Result<TensorPtr> GatherElements(const std::vector<const Tensor*>& sources,
                                 const std::vector<ElementPick>& picks, DataType dtype,
                                 const Shape& shape) {
  ASSIGN_OR_RETURN(const int64_t count, NumElements(shape));
  if (count != static_cast<int64_t>(picks.size())) {
    return Status::InvalidArgument("GatherElements: " + std::to_string(picks.size()) +
                                   " picks for shape " + ShapeToString(shape));
  }
  for (const Tensor* source : sources) {
    if (source->dtype() != dtype) {
      return Status::InvalidArgument("GatherElements: a source of dtype " +
                                     std::string(DataTypeName(source->dtype())) + ", expected " +
                                     std::string(DataTypeName(dtype)));
    }
  }
  if (!IsFixedWidth(dtype)) {
    std::vector<std::string_view> elements;
    elements.reserve(picks.size());
    for (const ElementPick& pick : picks) elements.push_back(sources[pick.source]->StringAt(pick.index));
    return Tensor::FromStrings(dtype, shape, elements);
  }
  ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(dtype, shape));
  const auto size = static_cast<size_t>(ElementSize(dtype));
  uint8_t* to = out->mutable_data();
  for (const ElementPick& pick : picks) {
    std::memcpy(to, sources[pick.source]->data() + static_cast<size_t>(pick.index) * size, size);
    to += size;
  }
  return out;
}

std::vector<int64_t> ElementStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d > 1; --d) strides[d - 2] = strides[d - 1] * shape[d - 1];
  return strides;
}

bool SameKind(DataType a, DataType b) { return IsFixedWidth(a) == IsFixedWidth(b); }

}  // namespace headrace::transforms
