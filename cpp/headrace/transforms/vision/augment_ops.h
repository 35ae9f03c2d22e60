// The operations AutoAugment, RandAugment and TrivialAugmentWide choose from, with
// torchvision's magnitudes (which MindSpore's follow). With MindSpore's interpolations the
// operations are MindSpore's ApplyAugment (mindspore_augment_ops.h: shears by m radians
// about the centre, MindSpore's colour kernels); with Pillow's they are torchvision's on a
// PIL image:
//
//   ShearX/ShearY(m)          shear by atan(m) about the top-left corner
//   TranslateX/TranslateY(m)  shift by int(m) pixels
//   Rotate(m)                 m degrees counter-clockwise about the centre
//   Brightness/Color/Contrast/Sharpness(m)  ImageEnhance by the factor 1 + m
//   Posterize(m)              keep int(m) bits;  Solarize(m): invert values >= m
//   AutoContrast, Equalize, Invert, Identity  (no magnitude)
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

enum class AugmentOp {
  kIdentity, kShearX, kShearY, kTranslateX, kTranslateY, kRotate, kBrightness, kColor,
  kContrast, kSharpness, kPosterize, kSolarize, kAutoContrast, kEqualize, kInvert,
};

std::string_view AugmentOpName(AugmentOp op);

// How an operation is applied: the interpolation and fill of the geometric ones.
struct AugmentStyle {
  Interpolation interpolation = Interpolation::kNearest;
  std::vector<uint8_t> fill;  // one value, or one per channel
};

// Magnitude bin `bin` of `num_bins` for `op` on an image of the given size, and whether a
// random sign applies to it (torchvision's _augmentation_space).
double AugmentMagnitude(AugmentOp op, int bin, int num_bins, int64_t height, int64_t width);
bool AugmentMagnitudeIsSigned(AugmentOp op);

// `image` (uint8, HWC with 3 channels; checked by the caller) with `op` applied.
Result<TensorPtr> ApplyAugmentOp(const TensorPtr& image, const ImageLayout& layout, AugmentOp op,
                                 double magnitude, const AugmentStyle& style);

}  // namespace headrace::transforms
