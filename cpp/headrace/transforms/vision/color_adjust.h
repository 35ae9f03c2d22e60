// Brightness, contrast, saturation and hue of uint8 images, with Pillow's arithmetic (the
// results torchvision's functional transforms give on PIL images), and the transforms
// over them: AdjustBrightness, AdjustContrast, AdjustSaturation, AdjustHue and
// RandomColorAdjust (mindspore.dataset.vision names and arguments), which use these
// kernels or MindSpore's (mindspore_color.h) as their ColorArithmetic says.
//
// The kernels (namespace kernels; built on the blend and tables of enhance.h) are the
// building blocks other transforms use (RandomColorAdjust here, AutoAugment/RandAugment
// elsewhere). Each takes a uint8 image of shape (H, W), (H, W, 1) or (H, W, 3), returns a
// new image of the same shape and dtype, and fails with InvalidArgument naming the
// transform and the dtype and shape it got. Grey images behave as Pillow's mode "L":
// saturation and hue leave them unchanged. Pure functions: call them from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/enhance.h"

namespace headrace::transforms {

namespace kernels {

// Pillow's grey level of an RGB pixel ("L" conversion, ITU-R 601-2 in 16-bit fixed point):
// (R*19595 + G*38470 + B*7471 + 2^15) >> 16, i.e. R*299/1000 + G*587/1000 + B*114/1000
// rounded.
inline uint8_t Luma(uint8_t r, uint8_t g, uint8_t b) {
  return static_cast<uint8_t>((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

// ImageEnhance.Brightness(image).enhance(factor): a blend with black.
Result<TensorPtr> AdjustBrightness(const Tensor& image, double factor);

// ImageEnhance.Contrast(image).enhance(factor): a blend with a grey image whose level is
// the mean of the image's "L" conversion, rounded as Pillow does (int(mean + 0.5)).
Result<TensorPtr> AdjustContrast(const Tensor& image, double factor);

// ImageEnhance.Color(image).enhance(factor): a blend of each pixel with its Luma().
Result<TensorPtr> AdjustSaturation(const Tensor& image, double factor);

// torchvision's adjust_hue on a PIL image: convert to Pillow's 8-bit HSV, add
// int(factor * 255) modulo 256 to the hue, convert back. `factor` in [-0.5, 0.5]
// (InvalidArgument otherwise).
Result<TensorPtr> AdjustHue(const Tensor& image, double factor);

}  // namespace kernels

enum class ColorAdjustment : uint8_t { kBrightness, kContrast, kSaturation, kHue };

// One adjustment by `factor` with the kernels of `arithmetic`: Pillow's above, or
// MindSpore's of mindspore_color.h.
Result<TensorPtr> AdjustColor(const Tensor& image, ColorAdjustment adjustment, double factor,
                              ColorArithmetic arithmetic);

// The transforms. Make() checks the factor (InvalidArgument naming the argument): the
// brightness, contrast and saturation factors must be finite and non-negative, the hue
// factor in [-0.5, 0.5]. Stateless: Compute may run on many threads at once.
class AdjustBrightness : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<AdjustBrightness>> Make(double brightness_factor, ColorArithmetic arithmetic);
  AdjustBrightness(double factor, ColorArithmetic arithmetic) : factor_(factor), arithmetic_(arithmetic) {}
  std::string name() const override { return "AdjustBrightness"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double factor_;
  const ColorArithmetic arithmetic_;
};

class AdjustContrast : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<AdjustContrast>> Make(double contrast_factor, ColorArithmetic arithmetic);
  AdjustContrast(double factor, ColorArithmetic arithmetic) : factor_(factor), arithmetic_(arithmetic) {}
  std::string name() const override { return "AdjustContrast"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double factor_;
  const ColorArithmetic arithmetic_;
};

class AdjustSaturation : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<AdjustSaturation>> Make(double saturation_factor, ColorArithmetic arithmetic);
  AdjustSaturation(double factor, ColorArithmetic arithmetic) : factor_(factor), arithmetic_(arithmetic) {}
  std::string name() const override { return "AdjustSaturation"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double factor_;
  const ColorArithmetic arithmetic_;
};

class AdjustHue : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<AdjustHue>> Make(double hue_factor, ColorArithmetic arithmetic);
  AdjustHue(double factor, ColorArithmetic arithmetic) : factor_(factor), arithmetic_(arithmetic) {}
  std::string name() const override { return "AdjustHue"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double factor_;
  const ColorArithmetic arithmetic_;
};

// Closed range [low, high] of a RandomColorAdjust factor.
struct FactorRange {
  double low;
  double high;
};

// mindspore.dataset.vision.RandomColorAdjust: per row, the four adjustments in a random
// order (as MindSpore's op and torchvision's ColorJitter), each with a factor drawn
// uniformly from its range. An adjustment whose range is the identity (brightness,
// contrast or saturation [1, 1], hue [0, 0]) is skipped, as both libraries do (an
// HSV round trip is not exactly the identity). Takes uint8 images with 1 or 3 channels.
class RandomColorAdjust : public transforms::TensorOp {
 public:
  using Adjustment = ColorAdjustment;
  struct Step {
    Adjustment adjustment;
    double factor;
  };
  // The adjustments one row gets, in the order they apply.
  struct Plan {
    std::array<Step, 4> steps;
    int size = 0;
  };

  // InvalidArgument (naming the argument) unless low <= high, brightness, contrast and
  // saturation ranges are non-negative and hue lies within [-0.5, 0.5].
  static Result<std::shared_ptr<RandomColorAdjust>> Make(FactorRange brightness,
                                                         FactorRange contrast,
                                                         FactorRange saturation, FactorRange hue,
                                                         ColorArithmetic arithmetic);

  std::string name() const override { return "RandomColorAdjust"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // What a row with `seed` gets: a random order of the four adjustments (Fisher-Yates),
  // then a factor for each non-identity one, in that order.
  Plan Draw(uint64_t seed) const;
  // `plan` applied with AdjustColor, step by step: Compute(image, seed) equals
  // Apply(image, Draw(seed)).
  Result<TensorPtr> Apply(const Tensor& image, const Plan& plan) const;

  RandomColorAdjust(FactorRange brightness, FactorRange contrast, FactorRange saturation,
                    FactorRange hue, ColorArithmetic arithmetic)
      : ranges_{brightness, contrast, saturation, hue}, arithmetic_(arithmetic) {}

 private:
  const std::array<FactorRange, 4> ranges_;  // indexed by Adjustment
  const ColorArithmetic arithmetic_;
};

}  // namespace headrace::transforms
