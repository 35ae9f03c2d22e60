// AsDType: an image's values in another dtype, for the kernels that compute in double or
// float whatever they get (RgbToHsv, ToTensor, LinearTransformation). The values convert as
// CastTensor converts them (NumPy's astype).
#pragma once

#include <cstring>

#include "headrace/core/cast.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace::transforms {

// A new tensor: `image` converted to `to` (a copy even when the dtype is already `to`, so
// the result may be written to). `image` must be fixed-width.
inline Result<TensorPtr> AsDType(const Tensor& image, DataType to) {
  ASSIGN_OR_RETURN(TensorPtr copy, Tensor::Create(image.dtype(), image.shape()));
  std::memcpy(copy->mutable_data(), image.data(),
              static_cast<size_t>(image.num_elements() * ElementSize(image.dtype())));
  if (image.dtype() == to) return copy;
  return CastTensor(copy, to);
}

}  // namespace headrace::transforms
