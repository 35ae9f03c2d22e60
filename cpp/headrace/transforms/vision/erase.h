// Erasing a rectangle of an image (mindspore.dataset.vision CutOut, Erase, RandomErasing).
//
//   CutOut(length, num_patches, is_hwc)  num_patches squares of side `length` set to 0; a
//       square's top-left corner is drawn uniformly from [-length, H] x [-length, W], so it
//       may hang over the border and is clipped (MindSpore's unbounded cut-out). HWC or CHW
//       images of rank 3, any fixed-width dtype.
//   Erase(top, left, height, width, value)  the box set to `value` (one value, or one per
//       channel R, G, B), clipped to the image; (H, W, 3) images. Integer images get the
//       value rounded to nearest (OpenCV's setTo), float ones as it is.
//   RandomErasing(prob, scale, ratio, value, max_attempts)  Zhong et al.'s random erasing on
//       (C, H, W) images, as MindSpore's Python implementation: with probability prob, up to
//       max_attempts draws of an area fraction in `scale` and an aspect ratio in `ratio`
//       until the box fits strictly inside the image; the box is filled with `value` (one
//       value or one per channel, NumPy's assignment casts) or, when `random_value`, with
//       standard normal noise. No box found: the image unchanged.
//
// `inplace` of MindSpore changes no pixel here: outputs are always new tensors.
// Thread-safe: the ops hold only their parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/random.h"
#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class CutOut : public transforms::TensorOp {
 public:
  // InvalidArgument unless length >= 1 and num_patches >= 1.
  static Result<std::shared_ptr<CutOut>> Make(int64_t length, int64_t num_patches, bool is_hwc);
  CutOut(int64_t length, int64_t num_patches, bool is_hwc)
      : length_(length), num_patches_(num_patches), is_hwc_(is_hwc) {}

  std::string name() const override { return "CutOut"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t length_, num_patches_;
  const bool is_hwc_;
};

class Erase : public transforms::TensorOp {
 public:
  // InvalidArgument for a negative top or left, a height or width < 1, or a value that is
  // not 1 or 3 numbers in [0, 255].
  static Result<std::shared_ptr<Erase>> Make(int64_t top, int64_t left, int64_t height, int64_t width,
                                             std::vector<double> value);
  Erase(int64_t top, int64_t left, int64_t height, int64_t width, std::vector<double> value)
      : top_(top), left_(left), height_(height), width_(width), value_(std::move(value)) {}

  std::string name() const override { return "Erase"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t top_, left_, height_, width_;
  const std::vector<double> value_;
};

struct RandomErasingParams {
  double prob = 0.5;
  double scale_min = 0.02, scale_max = 0.33;  // fraction of the image's area
  double ratio_min = 0.3, ratio_max = 3.3;    // width / height
  std::vector<double> value = {0.0};          // one value or three; ignored when random_value
  bool random_value = false;                  // MindSpore's value='random'
  int64_t max_attempts = 10;
};

// The box RandomErasing erases; height == 0 when it erases nothing.
struct ErasingBox {
  int64_t top = 0, left = 0, height = 0, width = 0;
};

class RandomErasing : public transforms::TensorOp {
 public:
  // InvalidArgument naming the argument: prob outside [0, 1], scale or ratio not (min, max)
  // with 0 <= min <= max (and max > 0 for scale, min > 0 for ratio), value not 1 or 3
  // numbers in [0, 255], max_attempts < 1.
  static Result<std::shared_ptr<RandomErasing>> Make(RandomErasingParams params);
  explicit RandomErasing(RandomErasingParams params) : params_(std::move(params)) {}

  std::string name() const override { return "RandomErasing"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // The box a (C, height, width) image gets from `random` (the draws Compute makes).
  ErasingBox ChooseBox(Random& random, int64_t height, int64_t width) const;

 private:
  const RandomErasingParams params_;
};

}  // namespace headrace::transforms
