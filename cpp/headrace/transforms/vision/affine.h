// The affine warp kernel (Pillow's Image.transform(size, Image.AFFINE, ...)), the inverse
// matrix of "rotate, scale and shear about a centre, then translate" as torchvision
// computes it, and the Affine transform (mindspore.dataset.vision.Affine) built on them.
// Rotate, RandomRotation and AutoAugment's geometric ops call the same functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image.h"
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
// bilinear and bicubic take uint8 and float32. InvalidArgument (no prefix) otherwise.
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

// Affine(degrees, translate, scale, shear, resample, fill_value): the transform above about
// the image centre (width/2, height/2), same output size; matches
// torchvision.transforms.functional.affine on a PIL image. uint8 and float32 images.
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

}  // namespace headrace::transforms
