// What every image transform checks first: that it got one column, and that the column is
// an image it can take. The errors name the transform and what it got, e.g.
//   "Resize: expected an image of shape (H, W) or (H, W, C) of uint8 or float32, got
//    float64 of shape [3, 4, 5, 6]"
// so that a pipeline's failure points at the step and the data at fault.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "headrace/core/data_type.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

// An image in channels-last layout; a 2-D (H, W) image has one channel.
struct ImageLayout {
  int64_t height;
  int64_t width;
  int64_t channels;
  bool has_channel_axis;  // false for (H, W)

  int64_t pixels() const { return height * width; }
  // The shape of an image of this kind with another size (keeps (H, W) as 2-D).
  Shape WithSize(int64_t new_height, int64_t new_width) const;
};

// The image of a transform that takes one column.
Result<TensorPtr> OneImageColumn(std::string_view transform, const TensorList& columns);

// The layout of `image`: rank 2 or 3, a dtype among `dtypes` (empty: any fixed-width
// dtype), and, when `channels` is not empty, a channel count among them (a 2-D image
// counts as 1 channel).
Result<ImageLayout> CheckImage(std::string_view transform, const Tensor& image,
                               std::initializer_list<DataType> dtypes = {},
                               std::initializer_list<int64_t> channels = {});

// A copy of a fixed-width tensor in fresh memory (same dtype and shape).
Result<TensorPtr> CopyOf(const Tensor& tensor);

// Compute of a transform that replaces its one image column with kernel(image), where
// kernel takes a `const Tensor&` and returns Result<TensorPtr>.
template <typename Kernel>
Status ApplyToImageColumn(std::string_view transform, TensorList* columns, Kernel kernel) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  ASSIGN_OR_RETURN(columns->front(), kernel(*image));
  return Status::OK();
}

}  // namespace headrace::transforms
