// Small tensors for tests of core and the folders above it.
#pragma once

#include <cstring>
#include <vector>

#include "headrace/core/tensor.h"

namespace headrace::testing {

// A 1-D tensor of `type` holding `values` (T must be the C++ type of `type`).
template <typename T>
TensorPtr Vector(DataType type, const std::vector<T>& values) {
  TensorPtr tensor = *Tensor::Create(type, {static_cast<int64_t>(values.size())});
  std::memcpy(tensor->mutable_data(), values.data(), values.size() * sizeof(T));
  return tensor;
}

}  // namespace headrace::testing
