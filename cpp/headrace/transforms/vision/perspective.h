// Perspective and RandomPerspective (mindspore.dataset.vision): a warp that moves the four
// `start` points of the image to the four `end` points, through OpenCV's
// getPerspectiveTransform and warpPerspective (opencv_warp.h) as MindSpore's Perspective
// does, output of the input's size, pixels from outside black (zero).
//
// RandomPerspective draws its corners as MindSpore (and torchvision) do: with probability
// `prob`, each corner of the image moves inwards by a whole number of pixels, uniform in
// [0, distortion_scale * half the width (height)], from the row's seed. (MindSpore runs it
// on PIL images with Pillow's perspective transform; here it is OpenCV's, as Perspective.)
// An image less than 2 pixels wide or high has no distinct corners and is left as it is, as
// is a row whose drawn corners fall three on a line (no perspective maps onto them).
// Thread-safe: the ops hold only their parameters.
#pragma once

#include <memory>
#include <string>

#include "headrace/core/random.h"
#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/opencv_warp.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

// The corners RandomPerspective moves the image's corners (top-left, top-right,
// bottom-right, bottom-left, in pixel centres) to, for a width x height image.
Quad RandomPerspectiveCorners(int64_t width, int64_t height, double distortion_scale, Random* random);

class Perspective : public transforms::TensorOp {
 public:
  // InvalidArgument (prefixed "Perspective: ") for a Pillow interpolation or points three
  // of which are collinear.
  static Result<std::shared_ptr<Perspective>> Make(const Quad& start, const Quad& end, Interpolation interpolation);
  Perspective(const PerspectiveMatrix& matrix, Interpolation interpolation)
      : matrix_(matrix), interpolation_(interpolation) {}

  std::string name() const override { return "Perspective"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const PerspectiveMatrix matrix_;
  const Interpolation interpolation_;
};

class RandomPerspective : public transforms::TensorOp {
 public:
  // InvalidArgument (prefixed "RandomPerspective: ") for distortion_scale or prob outside
  // [0, 1] or a Pillow interpolation.
  static Result<std::shared_ptr<RandomPerspective>> Make(double distortion_scale, double prob,
                                                         Interpolation interpolation);
  RandomPerspective(double distortion_scale, double prob, Interpolation interpolation)
      : distortion_scale_(distortion_scale), prob_(prob), interpolation_(interpolation) {}

  std::string name() const override { return "RandomPerspective"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double distortion_scale_, prob_;
  const Interpolation interpolation_;
};

}  // namespace headrace::transforms
