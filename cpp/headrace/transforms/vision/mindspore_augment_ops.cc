#include "headrace/transforms/vision/mindspore_augment_ops.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/color_space.h"
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

// cv::addWeighted(grey, 1 - factor, image, factor) on uint8, `grey` one level per pixel:
// float weights (1 - factor taken in double, as MindSpore writes it), the products summed
// as OpenCV's fused multiply-add, rounded to nearest even and saturated.
Result<TensorPtr> GreyBlend(const Tensor& image, const Tensor& grey, double factor) {
  const auto alpha = static_cast<float>(factor);
  const auto rest = static_cast<float>(1.0 - static_cast<double>(alpha));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const uint8_t* in = image.data();
  const uint8_t* levels = grey.data();
  uint8_t* out = output->mutable_data();
  for (int64_t p = 0; p < grey.num_elements(); ++p) {
    const auto level = static_cast<float>(levels[p]);
    for (int64_t c = 0; c < 3; ++c) {
      out[3 * p + c] = kernels::RoundToUint8(
          kernels::FusedMultiplyAdd(level, rest, static_cast<float>(in[3 * p + c]) * alpha));
    }
  }
  return output;
}

// ApplyAugment's contrast: as AdjustContrast (mindspore_color.h), except that the mean
// goes into a uint8 image first (saturate_cast: to nearest even), where AdjustContrast
// takes int(mean + 0.5).
Result<TensorPtr> AugmentContrast(const Tensor& image, double factor) {
  RETURN_IF_ERROR(CheckImage("Contrast", image, {DataType::kUInt8}, {3}).status());
  ASSIGN_OR_RETURN(TensorPtr grey, kernels::ConvertColor(image, ColorConversion{3, 1, false, false}));
  double sum = 0.0;
  const uint8_t* levels = grey->data();
  for (int64_t i = 0; i < grey->num_elements(); ++i) sum += levels[i];
  // cvRound of the double mean: to nearest even, in double (rounding it to float first
  // could land on a half).
  const double mean_level = std::nearbyint(sum / static_cast<double>(grey->num_elements()));
  const auto mean = static_cast<uint8_t>(std::clamp(mean_level, 0.0, 255.0));
  std::fill(grey->mutable_data(), grey->mutable_data() + grey->num_elements(), mean);
  return GreyBlend(image, *grey, factor);
}

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
    case AugmentOp::kContrast: return AugmentContrast(*image, 1.0 + magnitude);
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
