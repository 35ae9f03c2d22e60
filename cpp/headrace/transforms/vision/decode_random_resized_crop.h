// Decode followed by RandomResizedCrop, fused into one step (FuseTransforms puts it in a
// map's chain in place of the pair).
//
// For a JPEG, the crop window is chosen as soon as the header gives the image's size, and
// libjpeg-turbo decodes only the rows and block columns the window covers, at 1/2, 1/4 or
// 1/8 scale when the window is still at least the output size after it; the window is
// then resampled to the output size from those pixels. The window is the one the unfused
// RandomResizedCrop takes for the same seed; the pixels differ from the unfused pair's only
// by resampling (DCT scaling averages before the filter does; block edges of the decoded
// region give the filter a little more or less border), within the tolerance stated by the
// tests. A PNG is decoded in full and cropped as by the unfused pair, exactly.
// Thread-safe: the op holds only its parameters.
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/crop.h"

namespace headrace::transforms {

class DecodeRandomResizedCrop : public transforms::TensorOp {
 public:
  explicit DecodeRandomResizedCrop(const RandomResizedCropParams& params) : params_(params) {}

  std::string name() const override { return "Decode+RandomResizedCrop"; }
  // It stands for two steps of a chain and takes the seed of the second, the crop's.
  int chain_steps() const override { return 2; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const RandomResizedCropParams params_;
};

}  // namespace headrace::transforms
