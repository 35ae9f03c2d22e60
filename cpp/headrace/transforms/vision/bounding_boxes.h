// The bounding boxes of mindspore.dataset.vision's detection transforms (the *WithBBox
// family and BoundingBoxAugment): a float32 tensor of shape (N, C), C >= 4, one box per
// row as [x, y, width, height, ...] in pixels of the image; further columns (a label, a
// difficulty flag) ride along unchanged. The arithmetic is MindSpore's, in float: boxes
// move and scale with the image, and a crop clips them to the window and drops those
// that do not touch it.
// Pure functions: call them from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms::boxes {

struct ImageAndBoxes {
  TensorPtr image;
  ImageLayout layout;
  TensorPtr boxes;
};

// The (image, boxes) columns of `transform`, checked as MindSpore checks them: two columns;
// boxes float32 of rank 2 with at least 4 columns; every box with x, y >= 0 (as integers)
// and x + width <= image width, y + height <= image height. InvalidArgument naming the
// transform and the fault otherwise.
Result<ImageAndBoxes> CheckColumns(std::string_view transform, const TensorList& columns);

// Every box scaled by (x_scale, y_scale): x and width by the first, y and height by the
// second (MindSpore's UpdateBBoxesForResize; the scales are the float ratios of the sizes).
Result<TensorPtr> Scaled(const Tensor& boxes, int64_t in_height, int64_t in_width, int64_t out_height,
                         int64_t out_width);

// The boxes of an image of `width` (or `height`) mirrored: x -> width - (x + box width).
Result<TensorPtr> FlippedHorizontally(const Tensor& boxes, int64_t width);
Result<TensorPtr> FlippedVertically(const Tensor& boxes, int64_t height);

// The boxes moved by (dx, dy) pixels: the image was padded by dx on the left, dy on top.
Result<TensorPtr> Shifted(const Tensor& boxes, int64_t dx, int64_t dy);

// The boxes of the window's crop (MindSpore's UpdateBBoxesForCrop): a box that does not
// touch the window is dropped; the others are clipped to it and given in its coordinates.
// The result may have no rows.
Result<TensorPtr> Cropped(const Tensor& boxes, const CropWindow& window);

}  // namespace headrace::transforms::boxes
