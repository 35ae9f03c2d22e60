// Rotate and RandomRotation (mindspore.dataset.vision) with the semantics of Pillow's
// Image.rotate(angle, resample, expand, center, fillcolor): counter-clockwise degrees,
// about the image centre (width/2, height/2) unless `center` is given, the same size
// unless `expand`. Like Pillow, rotations by a multiple of 90 degrees about the default
// centre are exact pixel moves (when the output keeps its size or may change it).
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
