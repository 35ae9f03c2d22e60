// Rotate and RandomRotation (mindspore.dataset.vision): counter-clockwise degrees, the
// same size unless `expand`. Two conventions, chosen by the interpolation:
// - MindSpore's interpolations (kNearest, kLinear, kCubic, kArea): MindSpore's own kernel,
//   cv::getRotationMatrix2D about ((width - 1) / 2, (height - 1) / 2) unless `center` is
//   given, and cv::warpAffine (opencv_warp.h); `expand` takes the bounding box of the
//   turned image, rounded to whole pixels. The fill is MindSpore's (MindSporeWarpFill:
//   three values, a fourth channel gets 0); MindSpore's Rotate hands OpenCV its fill
//   reversed, so the Python facade reverses it first.
// - Pillow's: Image.rotate(angle, resample, expand, center, fillcolor), about
//   (width/2, height/2) unless `center` is given; like Pillow, rotations by a multiple of
//   90 degrees about the default centre are exact pixel moves.
// Thread-safe: the ops hold only their parameters.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

struct RotateOptions {
  Interpolation interpolation = Interpolation::kNearest;
  bool expand = false;                         // grow the output to hold the whole image
  std::optional<std::array<double, 2>> center;  // (x, y); none: the image centre
  std::vector<uint8_t> fill;                   // for pixels from outside (see WarpAffine)
};

// `image` turned `degrees` counter-clockwise. Returns `image` itself for a multiple of
// 360 degrees about the default centre. uint8 and float32 for every interpolation,
// any fixed-width dtype for nearest; InvalidArgument (no prefix) otherwise.
Result<TensorPtr> RotateImage(const TensorPtr& image, const ImageLayout& layout, double degrees,
                              const RotateOptions& options);

// `image` turned by quarter_turns * 90 degrees counter-clockwise (np.rot90), any dtype.
Result<TensorPtr> RotateQuarterTurns(const Tensor& image, const ImageLayout& layout, int quarter_turns);

class Rotate : public transforms::TensorOp {
 public:
  Rotate(double degrees, RotateOptions options) : degrees_(degrees), options_(std::move(options)) {}

  std::string name() const override { return "Rotate"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double degrees_;
  const RotateOptions options_;
};

// An angle uniform in [min_degrees, max_degrees) per row.
class RandomRotation : public transforms::TensorOp {
 public:
  // InvalidArgument if min_degrees > max_degrees.
  static Result<std::shared_ptr<RandomRotation>> Make(double min_degrees, double max_degrees,
                                                      RotateOptions options);
  RandomRotation(double min_degrees, double max_degrees, RotateOptions options)
      : min_degrees_(min_degrees), max_degrees_(max_degrees), options_(std::move(options)) {}

  std::string name() const override { return "RandomRotation"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double min_degrees_, max_degrees_;
  const RotateOptions options_;
};

}  // namespace headrace::transforms
