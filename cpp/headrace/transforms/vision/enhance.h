// Pillow's image arithmetic on uint8 images: the blend every ImageEnhance class is made
// of and the lookup tables of Image.point (also used by color_adjust.h), sharpness, and
// the tone curves of ImageOps; with the transforms over them (mindspore.dataset.vision
// names and arguments): AdjustSharpness, Posterize, Solarize, AutoContrast, Equalize,
// Invert.
//
// The image kernels (namespace kernels) take a uint8 image of shape (H, W), (H, W, 1) or
// (H, W, 3) (Pillow's modes "L" and "RGB"), return a new image of the same shape, and
// fail with InvalidArgument naming the transform and what it got. Their tables and
// blends are computed as Pillow computes them, so the results equal Pillow's exactly.
// Pure functions: call them from any thread; the transforms are stateless.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

namespace kernels {

// fma(a, b, c) in float (one rounding) without a libm call where the CPU has no FMA: the
// product of two floats is exact in double, and so is its sum with c for the magnitudes
// of pixel blends, so one rounding to float remains. cv::addWeighted's arithmetic.
inline float FusedMultiplyAdd(float a, float b, float c) {
  return static_cast<float>(static_cast<double>(a) * static_cast<double>(b) + static_cast<double>(c));
}

// A float rounded to the nearest integer, ties to even (cvRound, std::nearbyint in the
// default mode), as a uint8 clipped to [0, 255]. Adding and taking away 1.5 * 2^23 leaves
// no fraction bits, so the FPU's round-to-nearest-even does the rounding without a libm
// call (valid for |v| < 2^22; larger values are clipped first).
inline uint8_t RoundToUint8(float v) {
  v = !(v >= -1.0f) ? -1.0f : v > 256.0f ? 256.0f : v;  // NaN goes to 0
  const float rounded = (v + 12582912.0f) - 12582912.0f;
  return static_cast<uint8_t>(rounded < 0.0f ? 0.0f : rounded > 255.0f ? 255.0f : rounded);
}

// A table giving each uint8 value its new value.
using Lut = std::array<uint8_t, 256>;

// Pillow's Image.blend(degenerate, image, factor) on one value: degenerate +
// factor * (image - degenerate) in float, clipped to [0, 255] and truncated. Every
// ImageEnhance class is this blend with its own degenerate image.
inline uint8_t BlendValue(uint8_t degenerate, uint8_t value, float factor) {
  float v = static_cast<float>(degenerate) +
            factor * static_cast<float>(static_cast<int>(value) - static_cast<int>(degenerate));
  v = v < 0.0f ? 0.0f : v;
  v = v > 255.0f ? 255.0f : v;
  return static_cast<uint8_t>(static_cast<int>(v));
}

// BlendValue over `count` values (SSE2 where available, same results); `out` may not
// overlap the inputs.
void BlendValues(const uint8_t* degenerate, const uint8_t* image, uint8_t* out, int64_t count,
                 float factor);

// The image with every value v replaced by lut[v]; with one table per channel, channel c
// of every pixel goes through luts[c]. `image` must be uint8 (checked by the caller).
Result<TensorPtr> ApplyLut(const Tensor& image, const Lut& lut);
Result<TensorPtr> ApplyChannelLuts(const Tensor& image, const Lut* luts, int64_t channels);

// ImageEnhance.Sharpness(image).enhance(factor): a blend with the image smoothed by
// Pillow's SMOOTH filter (3x3, weights 1 and a centre of 5, over 13, rounded); the
// outermost rows and columns keep their values, and images under 3x3 are unchanged.
Result<TensorPtr> AdjustSharpness(const Tensor& image, double factor);

// MindSpore's Sharpness (RandomSharpness, RandomAdjustSharpness): the same smoothed image,
// blended as cv::addWeighted(image, factor, smoothed, 1 - factor) does (rounded to nearest
// instead of Pillow's truncation, so within one level of AdjustSharpness). uint8 or
// float32 images with any number of channels; float32 is neither rounded nor clipped.
Result<TensorPtr> MindSporeSharpness(const Tensor& image, double factor);

// ImageOps.posterize: keeps the `bits` high bits of every value; bits in [0, 8] (0 gives
// black, as MindSpore allows; Pillow stops at 1).
Result<TensorPtr> Posterize(const Tensor& image, int bits);

// Inverts (v -> 255 - v) every value v with low <= v <= high. ImageOps.solarize(image, t)
// is Solarize(image, t, 255).
Result<TensorPtr> Solarize(const Tensor& image, double low, double high);

// ImageOps.autocontrast(image, cutoff, ignore): per channel, drops the values in `ignore`
// and `cutoff` percent of the pixels at each end of the histogram, then stretches the
// remaining range to [0, 255]. cutoff in [0, 50), ignore values in [0, 255].
Result<TensorPtr> AutoContrast(const Tensor& image, double cutoff, const std::vector<int>& ignore);

// MindSpore's AutoContrast (its C++ kernel): as above, but the cutoff percent is truncated
// to an integer and the cut and the stretch are computed in float.
Result<TensorPtr> MindSporeAutoContrast(const Tensor& image, double cutoff, const std::vector<int>& ignore);

// ImageOps.equalize: per channel, maps values through the cumulative histogram.
Result<TensorPtr> Equalize(const Tensor& image);

// OpenCV's equalizeHist per channel (MindSpore's Equalize): with n pixels and m the count
// of the lowest value present, value v maps to round(255 * (pixels above that lowest value,
// up to v) / (n - m)); a flat channel stays as it is.
Result<TensorPtr> EqualizeHistogram(const Tensor& image);

// ImageOps.invert: 255 - v.
Result<TensorPtr> Invert(const Tensor& image);

}  // namespace kernels

// Whose arithmetic a colour transform follows: MindSpore's C++ kernels (OpenCV's rounding,
// grey levels and histograms; the default) or Pillow's ImageEnhance and ImageOps, which
// torchvision gives on PIL images (config.set_image_resampling("pillow")).
enum class ColorArithmetic { kMindSpore, kPillow };

// "mindspore" or "pillow"; InvalidArgument naming `name` otherwise.
Result<ColorArithmetic> ParseColorArithmetic(std::string_view name);

// Transforms. Make() checks the arguments (InvalidArgument naming the argument).
class AdjustSharpness : public transforms::TensorOp {
 public:
  // sharpness_factor finite and >= 0.
  static Result<std::shared_ptr<AdjustSharpness>> Make(double sharpness_factor, ColorArithmetic arithmetic);
  AdjustSharpness(double factor, ColorArithmetic arithmetic) : factor_(factor), arithmetic_(arithmetic) {}
  std::string name() const override { return "AdjustSharpness"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double factor_;
  const ColorArithmetic arithmetic_;
};

class Posterize : public transforms::TensorOp {
 public:
  // bits in [0, 8].
  static Result<std::shared_ptr<Posterize>> Make(int bits);
  explicit Posterize(int bits) : bits_(bits) {}
  std::string name() const override { return "Posterize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int bits_;
};

class Solarize : public transforms::TensorOp {
 public:
  // MindSpore's threshold (min, max), 0 <= min <= max <= 255: inverts the values in
  // [min, max], or every value >= min when min == max (a single threshold).
  static Result<std::shared_ptr<Solarize>> Make(double threshold_min, double threshold_max);
  Solarize(double low, double high) : low_(low), high_(high) {}
  std::string name() const override { return "Solarize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double low_;
  const double high_;
};

class AutoContrast : public transforms::TensorOp {
 public:
  // cutoff in [0, 50), ignore values in [0, 255].
  static Result<std::shared_ptr<AutoContrast>> Make(double cutoff, std::vector<int> ignore,
                                                    ColorArithmetic arithmetic);
  AutoContrast(double cutoff, std::vector<int> ignore, ColorArithmetic arithmetic)
      : cutoff_(cutoff), ignore_(std::move(ignore)), arithmetic_(arithmetic) {}
  std::string name() const override { return "AutoContrast"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double cutoff_;
  const std::vector<int> ignore_;
  const ColorArithmetic arithmetic_;
};

class Equalize : public transforms::TensorOp {
 public:
  explicit Equalize(ColorArithmetic arithmetic) : arithmetic_(arithmetic) {}
  std::string name() const override { return "Equalize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const ColorArithmetic arithmetic_;
};

class Invert : public transforms::TensorOp {
 public:
  std::string name() const override { return "Invert"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

}  // namespace headrace::transforms
