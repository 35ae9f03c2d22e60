// The Pillow affine warp kernel (Pillow's Image.transform(size, Image.AFFINE, ...)), the
// inverse matrix of "rotate, scale and shear about a centre, then translate" as
// torchvision computes it, the forward matrix MindSpore computes for the same, and the
// Affine transform (mindspore.dataset.vision.Affine) built on them. Rotate,
// RandomRotation, RandomAffine and AutoAugment's geometric ops call the same functions.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/opencv_warp.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

// The out_height x out_width image whose pixel (x, y) is the source sampled at
//   (a*(x+0.5) + b*(y+0.5) + c,  d*(x+0.5) + e*(y+0.5) + f),  inverse = {a, b, c, d, e, f},
// i.e. `inverse` maps output to source coordinates (pixel centres at half-integers).
// Output pixels whose sample falls outside the source get `fill` (empty: zeros; one value:
// every channel; else one per channel, converted to the dtype).
// Semantics of Pillow's Image.transform(size, AFFINE, inverse, resample, fillcolor=fill),
// reproduced exactly: nearest takes the pixel containing the point (Pillow's fixed-point
// stepping included); bilinear and bicubic sample inside the image with edge clamping
// and truncate to uint8 (Pillow does not round). Nearest takes any fixed-width dtype;
// bilinear and bicubic take uint8 and float32. InvalidArgument (no prefix) otherwise, and
// for an interpolation that is not Pillow's (MindSpore's go to OpenCvWarpAffine).
Result<TensorPtr> WarpAffine(const Tensor& image, const ImageLayout& layout,
                             const std::array<double, 6>& inverse, int64_t out_height,
                             int64_t out_width, Interpolation interpolation,
                             const std::vector<uint8_t>& fill);

// Angles in degrees; `angle` and the shears turn clockwise (torchvision's convention).
struct AffineParams {
  double angle = 0.0;
  double translate_x = 0.0;  // pixels, applied after the rotation
  double translate_y = 0.0;
  double scale = 1.0;  // > 0
  double shear_x = 0.0;  // shear parallel to the x axis
  double shear_y = 0.0;  // shear parallel to the y axis
};

// The inverse (output to source) matrix of the transform that rotates, scales and shears
// about (center_x, center_y) and then translates: torchvision's
// _get_inverse_affine_matrix, evaluated in the same order so the doubles agree.
std::array<double, 6> InverseAffineMatrix(double center_x, double center_y, const AffineParams& params);

// The forward (source to output) matrix MindSpore's Affine gives cv::warpAffine for an
// image of width x height: the same rotation, scale and shear about
// ((width - 1) / 2, (height - 1) / 2), then the translation in pixels; its angles
// converted and everything, sines and cosines too, computed in float as MindSpore does.
AffineMatrix MindSporeAffineMatrix(int64_t width, int64_t height, const AffineParams& params);

// `image` warped by `params` about its centre, keeping its size: MindSpore's kernel
// (MindSporeAffineMatrix, OpenCvWarpAffine, the fill as MindSporeWarpFill makes it) for
// MindSpore's interpolations, torchvision's on Pillow (InverseAffineMatrix, WarpAffine)
// for Pillow's. Translations in pixels.
Result<TensorPtr> AffineImage(const Tensor& image, const ImageLayout& layout, const AffineParams& params,
                              Interpolation interpolation, const std::vector<uint8_t>& fill);

// Affine(degrees, translate, scale, shear, resample, fill_value): AffineImage. With
// MindSpore's interpolations the translation is a fraction of the width and height (as
// MindSpore takes it, multiplied in float), with Pillow's it is in pixels (torchvision).
// uint8 and float32 images (any fixed-width dtype for MindSpore's nearest).
class Affine : public transforms::TensorOp {
 public:
  // InvalidArgument for a scale that is not positive.
  static Result<std::shared_ptr<Affine>> Make(const AffineParams& params, Interpolation interpolation,
                                              std::vector<uint8_t> fill);
  Affine(const AffineParams& params, Interpolation interpolation, std::vector<uint8_t> fill)
      : params_(params), interpolation_(interpolation), fill_(std::move(fill)) {}

  std::string name() const override { return "Affine"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const AffineParams params_;
  const Interpolation interpolation_;
  const std::vector<uint8_t> fill_;
};

// The ranges RandomAffine draws from, each [min, max]; translations are fractions of the
// width and height.
struct RandomAffineRanges {
  double degrees_min = 0.0, degrees_max = 0.0;
  double translate_x_min = 0.0, translate_x_max = 0.0, translate_y_min = 0.0, translate_y_max = 0.0;
  double scale_min = 1.0, scale_max = 1.0;
  double shear_x_min = 0.0, shear_x_max = 0.0, shear_y_min = 0.0, shear_y_max = 0.0;
};

// RandomAffine(degrees, translate, scale, shear, resample, fill_value): per row, as
// MindSpore draws them, an angle, a translation (x then y, in pixels: the fraction times
// the width or height), a scale and the two shears, each uniform in its range; then
// AffineImage with the angle taken modulo 360.
class RandomAffine : public transforms::TensorOp {
 public:
  // InvalidArgument (prefixed "RandomAffine: ") for a range with min > max or a negative scale.
  static Result<std::shared_ptr<RandomAffine>> Make(const RandomAffineRanges& ranges, Interpolation interpolation,
                                                    std::vector<uint8_t> fill);
  RandomAffine(const RandomAffineRanges& ranges, Interpolation interpolation, std::vector<uint8_t> fill)
      : ranges_(ranges), interpolation_(interpolation), fill_(std::move(fill)) {}

  std::string name() const override { return "RandomAffine"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  // The parameters row `seed` of a width x height image gets (translations in pixels).
  AffineParams Draw(uint64_t seed, int64_t width, int64_t height) const;

 private:
  const RandomAffineRanges ranges_;
  const Interpolation interpolation_;
  const std::vector<uint8_t> fill_;
};

}  // namespace headrace::transforms
