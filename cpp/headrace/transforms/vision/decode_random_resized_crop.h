// Decode followed by RandomResizedCrop, fused into one step (FuseTransforms puts it in a
// map's chain in place of the pair), and MindSpore's RandomCropDecodeResize, which is the
// same step by itself.
//
// For a JPEG, the crop window is chosen as soon as the header gives the image's size, and
// libjpeg-turbo decodes only the rows and block columns the window covers; the window is
// then resampled to the output size from those pixels. The window is the one the unfused
// RandomResizedCrop takes for the same seed.
// - MindSpore's kernels (kNearest, kLinear, kCubic, kArea): the crop is decoded at full
//   scale, so its pixels are the full decode's, and OpenCvResize of the crop gives what
//   the unfused pair (and MindSpore) gives.
//   So do Pillow's kernels with crop_first (MindSpore's PILCUBIC and ANTIALIAS): Pillow's
//   resize of the crop.
// - Pillow's kernels otherwise: the crop may be decoded at 1/2 or 1/4 scale when the window is still
//   at least the output size after it (never 1/8, which keeps only each block's average);
//   the pixels then differ from the unfused pair's only by resampling (DCT scaling
//   averages before the filter does; block edges of the decoded region give the filter a
//   little more or less border), within the tolerance stated by the tests.
// A PNG is decoded in full and cropped as by the unfused pair, exactly.
// Thread-safe: the op holds only its parameters.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/crop.h"

namespace headrace::transforms {

class DecodeRandomResizedCrop : public transforms::TensorOp {
 public:
  // The fused pair: it stands for two steps of a chain and takes the seed of the second,
  // the crop's.
  explicit DecodeRandomResizedCrop(const RandomResizedCropParams& params)
      : params_(params), name_("Decode+RandomResizedCrop"), chain_steps_(2) {}

  // RandomCropDecodeResize: one step. InvalidArgument as RandomResizedCrop::Make.
  static Result<std::shared_ptr<DecodeRandomResizedCrop>> MakeRandomCropDecodeResize(
      const RandomResizedCropParams& params);

  std::string name() const override { return name_; }
  int chain_steps() const override { return chain_steps_; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  const RandomResizedCropParams& params() const { return params_; }

 private:
  DecodeRandomResizedCrop(const RandomResizedCropParams& params, std::string name, int chain_steps)
      : params_(params), name_(std::move(name)), chain_steps_(chain_steps) {}

  const RandomResizedCropParams params_;
  const std::string name_;
  const int chain_steps_;
};

}  // namespace headrace::transforms
