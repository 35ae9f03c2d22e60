#include "headrace/transforms/vision/augment_ops.h"

#include <cmath>

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/color_adjust.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/mindspore_augment_ops.h"
#include "headrace/transforms/vision/rotate.h"

namespace headrace::transforms {

namespace {

constexpr double kPi = 3.14159265358979323846;

// torchvision computes its magnitude tables with torch.linspace in float32; the same
// rounding here keeps thresholds and angles identical.
double Linspace(double start, double end, int bin, int num_bins) {
  if (num_bins <= 1) return static_cast<float>(start);
  const auto step = static_cast<float>((end - start) / (num_bins - 1));
  return static_cast<float>(static_cast<float>(start) + step * static_cast<float>(bin));
}

// torchvision's affine about (center_x, center_y) on a PIL image.
Result<TensorPtr> Warp(const TensorPtr& image, const ImageLayout& layout, const AffineParams& params,
                       double center_x, double center_y, const AugmentStyle& style) {
  return WarpAffine(*image, layout, InverseAffineMatrix(center_x, center_y, params), layout.height,
                    layout.width, style.interpolation, style.fill);
}

// torchvision's shear angle for magnitude m: atan(m).
double ShearDegrees(double magnitude) { return std::atan(magnitude) * 180.0 / kPi; }

}  // namespace

std::string_view AugmentOpName(AugmentOp op) {
  switch (op) {
    case AugmentOp::kIdentity: return "Identity";
    case AugmentOp::kShearX: return "ShearX";
    case AugmentOp::kShearY: return "ShearY";
    case AugmentOp::kTranslateX: return "TranslateX";
    case AugmentOp::kTranslateY: return "TranslateY";
    case AugmentOp::kRotate: return "Rotate";
    case AugmentOp::kBrightness: return "Brightness";
    case AugmentOp::kColor: return "Color";
    case AugmentOp::kContrast: return "Contrast";
    case AugmentOp::kSharpness: return "Sharpness";
    case AugmentOp::kPosterize: return "Posterize";
    case AugmentOp::kSolarize: return "Solarize";
    case AugmentOp::kAutoContrast: return "AutoContrast";
    case AugmentOp::kEqualize: return "Equalize";
    case AugmentOp::kInvert: return "Invert";
  }
  return "?";
}

double AugmentMagnitude(AugmentOp op, int bin, int num_bins, int64_t height, int64_t width) {
  switch (op) {
    case AugmentOp::kShearX:
    case AugmentOp::kShearY: return Linspace(0.0, 0.3, bin, num_bins);
    case AugmentOp::kTranslateX: return Linspace(0.0, 150.0 / 331.0 * static_cast<double>(width), bin, num_bins);
    case AugmentOp::kTranslateY: return Linspace(0.0, 150.0 / 331.0 * static_cast<double>(height), bin, num_bins);
    case AugmentOp::kRotate: return Linspace(0.0, 30.0, bin, num_bins);
    case AugmentOp::kBrightness:
    case AugmentOp::kColor:
    case AugmentOp::kContrast:
    case AugmentOp::kSharpness: return Linspace(0.0, 0.9, bin, num_bins);
    case AugmentOp::kPosterize: {
      // 8 - round(bin / ((num_bins - 1) / 4)): from 8 bits down to 4.
      const double quarter = num_bins > 1 ? (num_bins - 1) / 4.0 : 1.0;
      return 8.0 - std::nearbyint(static_cast<float>(bin / quarter));
    }
    case AugmentOp::kSolarize: return Linspace(255.0, 0.0, bin, num_bins);
    default: return 0.0;
  }
}

bool AugmentMagnitudeIsSigned(AugmentOp op) {
  switch (op) {
    case AugmentOp::kShearX: case AugmentOp::kShearY: case AugmentOp::kTranslateX:
    case AugmentOp::kTranslateY: case AugmentOp::kRotate: case AugmentOp::kBrightness:
    case AugmentOp::kColor: case AugmentOp::kContrast: case AugmentOp::kSharpness:
      return true;
    default:
      return false;
  }
}

Result<TensorPtr> ApplyAugmentOp(const TensorPtr& image, const ImageLayout& layout, AugmentOp op,
                                 double magnitude, const AugmentStyle& style) {
  if (!IsPillowInterpolation(style.interpolation)) return ApplyMindSporeAugmentOp(image, layout, op, magnitude, style);
  AffineParams params;
  switch (op) {
    case AugmentOp::kIdentity:
      return image;
    case AugmentOp::kShearX:
      params.shear_x = ShearDegrees(magnitude);
      return Warp(image, layout, params, 0.0, 0.0, style);
    case AugmentOp::kShearY:
      params.shear_y = ShearDegrees(magnitude);
      return Warp(image, layout, params, 0.0, 0.0, style);
    case AugmentOp::kTranslateX:
      params.translate_x = std::trunc(magnitude);
      return Warp(image, layout, params, layout.width * 0.5, layout.height * 0.5, style);
    case AugmentOp::kTranslateY:
      params.translate_y = std::trunc(magnitude);
      return Warp(image, layout, params, layout.width * 0.5, layout.height * 0.5, style);
    case AugmentOp::kRotate: {
      RotateOptions options;
      options.interpolation = style.interpolation;
      options.fill = style.fill;
      return RotateImage(image, layout, magnitude, options);
    }
    case AugmentOp::kBrightness: return kernels::AdjustBrightness(*image, 1.0 + magnitude);
    case AugmentOp::kColor: return kernels::AdjustSaturation(*image, 1.0 + magnitude);
    case AugmentOp::kContrast: return kernels::AdjustContrast(*image, 1.0 + magnitude);
    case AugmentOp::kSharpness: return kernels::AdjustSharpness(*image, 1.0 + magnitude);
    case AugmentOp::kPosterize: return kernels::Posterize(*image, static_cast<int>(magnitude));
    case AugmentOp::kSolarize: return kernels::Solarize(*image, magnitude, 255.0);
    case AugmentOp::kAutoContrast: return kernels::AutoContrast(*image, 0.0, {});
    case AugmentOp::kEqualize: return kernels::Equalize(*image);
    case AugmentOp::kInvert: return kernels::Invert(*image);
  }
  return Status::Internal("ApplyAugmentOp: unknown operation");
}

}  // namespace headrace::transforms
