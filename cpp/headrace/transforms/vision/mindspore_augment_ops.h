// The operations of MindSpore's AutoAugment, RandAugment and TrivialAugmentWide as its C++
// ApplyAugment makes them, on uint8 (H, W, 3) images; augment_ops.h dispatches here under
// MindSpore's interpolations. torchvision's differ in the shears and the colour kernels:
//
//   ShearX/ShearY(m)          Affine about the image centre by m radians (m * 180 / pi degrees)
//   TranslateX/TranslateY(m)  Affine translation by int(m) pixels
//   Rotate(m)                 m degrees counter-clockwise about the centre (rotate.h)
//   Brightness(m), Color(m)   MindSpore's AdjustBrightness / AdjustSaturation at 1 + m
//                             (mindspore_color.h)
//   Contrast(m)               MindSpore's AdjustContrast at 1 + m, its mean grey level
//                             rounded to even (mindspore_color.h)
//   Sharpness(m)              MindSpore's Sharpness kernel at 1 + m (enhance.h)
//   Posterize(m), Solarize(m) int(m) bits; invert values >= m
//   AutoContrast, Equalize    MindSpore's (OpenCV's) kernels, Identity
// The geometric ones use the interpolation and fill of `style`. Pure functions; any thread.
#pragma once

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/vision/augment_ops.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

// `image` (uint8, (H, W, 3); checked by the caller) with `op` at `magnitude` applied.
Result<TensorPtr> ApplyMindSporeAugmentOp(const TensorPtr& image, const ImageLayout& layout, AugmentOp op,
                                          double magnitude, const AugmentStyle& style);

}  // namespace headrace::transforms
