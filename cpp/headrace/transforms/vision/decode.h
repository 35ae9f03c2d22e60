// Decode: an encoded image (a 1-D uint8 tensor holding a JPEG or PNG file) to HWC uint8
// RGB pixels, as mindspore.dataset.vision.Decode. Errors name the transform and say what
// is wrong: not a 1-D uint8 input, an unknown format, corrupt or truncated data.
// Thread-safe (stateless).
#pragma once

#include <string>

#include "headrace/engine/tensor_op.h"

namespace headrace::transforms {

class Decode : public engine::TensorOp {
 public:
  std::string name() const override { return "Decode"; }
  Status Compute(engine::TensorList* columns, uint64_t seed) override;
};

}  // namespace headrace::transforms
