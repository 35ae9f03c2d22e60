#include "headrace/transforms/vision/mindspore_augment_ops.h"

#include <cmath>

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/mindspore_color.h"
#include "headrace/transforms/vision/rotate.h"

namespace headrace::transforms {

namespace {

constexpr double kPi = 3.14159265358979323846;

// MindSpore's AffineOp (affine.h): about the image centre, same size.
Result<TensorPtr> CentredAffine(const Tensor& image, const ImageLayout& layout, const AffineParams& params,
                                const AugmentStyle& style) {
  return AffineImage(image, layout, params, style.interpolation, style.fill);
}

// MindSpore takes the shear magnitude m as radians: m * 180 in float, over pi in double,
// kept as a float.
double ShearDegrees(double magnitude) { return static_cast<float>(static_cast<float>(magnitude) * 180.0f / kPi); }

}  // namespace

Result<TensorPtr> ApplyMindSporeAugmentOp(const TensorPtr& image, const ImageLayout& layout, AugmentOp op,
                                          double magnitude, const AugmentStyle& style) {
  AffineParams params;
  switch (op) {
    case AugmentOp::kIdentity:
      return image;
    case AugmentOp::kShearX:
      params.shear_x = ShearDegrees(magnitude);
      return CentredAffine(*image, layout, params, style);
    case AugmentOp::kShearY:
      params.shear_y = ShearDegrees(magnitude);
      return CentredAffine(*image, layout, params, style);
    case AugmentOp::kTranslateX:
      params.translate_x = std::trunc(magnitude);
      return CentredAffine(*image, layout, params, style);
    case AugmentOp::kTranslateY:
      params.translate_y = std::trunc(magnitude);
      return CentredAffine(*image, layout, params, style);
    case AugmentOp::kRotate: {
      RotateOptions options;
      options.interpolation = style.interpolation;
      // ApplyAugment's rotation hands OpenCV the three fill values turned by one,
      // (f1, f2, f0), as measured against MindSpore 2.10 (its shears and translations
      // keep the order).
      options.fill = style.fill;
      if (options.fill.size() == 3) options.fill = {style.fill[1], style.fill[2], style.fill[0]};
      return RotateImage(image, layout, magnitude, options);
    }
    case AugmentOp::kBrightness: return kernels::MindSporeBrightness(*image, 1.0 + magnitude);
    case AugmentOp::kColor: return kernels::MindSporeSaturation(*image, 1.0 + magnitude);
    case AugmentOp::kContrast:
      return kernels::MindSporeContrast(*image, 1.0 + magnitude, kernels::MeanRounding::kToEven);
    case AugmentOp::kSharpness: return kernels::MindSporeSharpness(*image, 1.0 + magnitude);
    case AugmentOp::kPosterize: return kernels::Posterize(*image, static_cast<int>(magnitude));
    case AugmentOp::kSolarize: return kernels::Solarize(*image, magnitude, 255.0);
    case AugmentOp::kAutoContrast: return kernels::MindSporeAutoContrast(*image, 0.0, {});
    case AugmentOp::kEqualize: return kernels::EqualizeHistogram(*image);
    case AugmentOp::kInvert: return kernels::Invert(*image);
  }
  return Status::Internal("ApplyMindSporeAugmentOp: unknown operation");
}

}  // namespace headrace::transforms
