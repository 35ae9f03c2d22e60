// Resize (mindspore.dataset.vision.Resize): the whole image resampled to a new size with
// Pillow's semantics (see resample.h). uint8 and float32 images, any channel count.
// Thread-safe: holds only its parameters.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

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

  // (height, width) of the output for an input of in_height x in_width.
  std::pair<int64_t, int64_t> OutputSize(int64_t in_height, int64_t in_width) const;

 private:
  const int64_t height_;  // with keep_aspect_, both hold the shorter side's size
  const int64_t width_;
  const bool keep_aspect_;
  const Interpolation interpolation_;
};

}  // namespace headrace::transforms
