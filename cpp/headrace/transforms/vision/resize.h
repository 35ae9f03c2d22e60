// Resize and RandomResize (mindspore.dataset.vision): the whole image resampled to a new
// size by one of the kernels of resample.h (MindSpore's OpenCV-convention ones or
// Pillow's). The filters take uint8 and float32 images, nearest any fixed-width dtype;
// any channel count.
// Thread-safe: they hold only their parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

class Resize : public transforms::TensorOp {
 public:
  // The shorter side becomes `shorter_side`; the longer keeps the aspect ratio,
  // truncated: longer * shorter_side / shorter (MindSpore's rule). InvalidArgument for a
  // non-positive size.
  static Result<std::shared_ptr<Resize>> KeepAspect(int64_t shorter_side, Interpolation interpolation);
  // Exactly height x width.
  static Result<std::shared_ptr<Resize>> ToSize(int64_t height, int64_t width, Interpolation interpolation);

  Resize(int64_t height, int64_t width, bool keep_aspect, Interpolation interpolation)
      : height_(height), width_(width), keep_aspect_(keep_aspect), interpolation_(interpolation) {}

  std::string name() const override { return "Resize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  // Compute with errors named after `transform`.
  Status ResizeColumn(std::string_view transform, TensorList* columns) const;

  // (height, width) of the output for an input of in_height x in_width.
  std::pair<int64_t, int64_t> OutputSize(int64_t in_height, int64_t in_width) const;

 private:
  const int64_t height_;  // with keep_aspect_, both hold the shorter side's size
  const int64_t width_;
  const bool keep_aspect_;
  const Interpolation interpolation_;
};

// RandomResize(size): Resize with an interpolation drawn per row, uniformly, from
// `interpolations` (MindSpore draws among LINEAR, NEAREST, CUBIC and AREA).
class RandomResize : public transforms::TensorOp {
 public:
  // InvalidArgument for a non-positive size or no interpolation to draw from.
  static Result<std::shared_ptr<RandomResize>> Make(int64_t height, int64_t width, bool keep_aspect,
                                                    std::vector<Interpolation> interpolations);
  RandomResize(int64_t height, int64_t width, bool keep_aspect, std::vector<Interpolation> interpolations);

  std::string name() const override { return "RandomResize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  std::vector<Resize> resizes_;  // one per interpolation, same size rule
};

}  // namespace headrace::transforms
