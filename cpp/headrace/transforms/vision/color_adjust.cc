#include "headrace/transforms/vision/color_adjust.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/mindspore_color.h"

namespace headrace::transforms {

namespace kernels {

namespace {

uint8_t Clip8(int v) { return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v); }

Result<TensorPtr> NewLike(const Tensor& image) { return Tensor::Create(image.dtype(), image.shape()); }

// Pillow's RGB -> HSV (Convert.c, following colorsys) in its own mix of float and double,
// reproduced operation for operation so the 8-bit results match it exactly. Two exact
// shortcuts: fmod(x, 1.0) for x in [5/6, 11/6] is x or x - 1 (Sterbenz: exact), and
// truncation replaces floor() for non-negative values.
inline void RgbToHsv(const uint8_t* rgb, uint8_t* hsv) {
  const uint8_t r = rgb[0], g = rgb[1], b = rgb[2];
  const uint8_t maxc = std::max(r, std::max(g, b));
  const uint8_t minc = std::min(r, std::min(g, b));
  hsv[2] = maxc;
  if (maxc == minc) {
    hsv[0] = 0;
    hsv[1] = 0;
    return;
  }
  const float range = static_cast<float>(maxc - minc);
  const float s = range / static_cast<float>(maxc);
  double h;
  if (r == maxc) {
    h = static_cast<float>(maxc - b) / range - static_cast<float>(maxc - g) / range;
  } else if (g == maxc) {
    h = static_cast<float>(2.0 + static_cast<float>(maxc - r) / range -
                           static_cast<float>(maxc - b) / range);
  } else {
    h = static_cast<float>(4.0 + static_cast<float>(maxc - g) / range -
                           static_cast<float>(maxc - r) / range);
  }
  double x = h / 6.0 + 1.0;
  if (x >= 1.0) x -= 1.0;
  const auto hue = static_cast<float>(x);
  hsv[0] = Clip8(static_cast<int>(hue * 255.0));
  hsv[1] = Clip8(static_cast<int>(s * 255.0));
}

// C's round() (half away from zero) for 0 <= x < 2^31, without a libm call.
inline int RoundNonNegative(double x) {
  const int n = static_cast<int>(x);
  return n + (x - n >= 0.5 ? 1 : 0);
}

// Pillow's HSV -> RGB for one hue value: the sector and the fraction within it, which
// depend on the hue only and so are tabulated once per call.
struct HueSector {
  int sector;      // floor(h * 6 / 255) mod 6
  float fraction;  // h * 6 / 255 - floor(...), rounded to float as Pillow stores it
};

std::array<HueSector, 256> HueSectors() {
  std::array<HueSector, 256> table;
  for (int h = 0; h < 256; ++h) {
    const double h6 = static_cast<float>(h) * 6.0 / 255.0;
    const int i = static_cast<int>(h6);
    table[h] = HueSector{i % 6, static_cast<float>(h6 - static_cast<float>(i))};
  }
  return table;
}

// Which of (v, p, q, t) each output channel takes, per sector (colorsys' table).
constexpr uint8_t kSectorChannels[6][3] = {{0, 3, 1}, {2, 0, 1}, {1, 0, 3},
                                           {1, 2, 0}, {3, 1, 0}, {0, 1, 2}};

inline void HsvToRgb(const HueSector& sector, uint8_t s, uint8_t v, uint8_t* rgb) {
  if (s == 0) {
    rgb[0] = rgb[1] = rgb[2] = v;
    return;
  }
  const float f = sector.fraction;
  const auto fs = static_cast<float>(static_cast<float>(s) / 255.0);
  const auto fv = static_cast<float>(v);
  const uint8_t values[4] = {
      v,
      Clip8(RoundNonNegative(fv * (1.0 - fs))),
      Clip8(RoundNonNegative(fv * (1.0 - fs * f))),
      Clip8(RoundNonNegative(fv * (1.0 - fs * (1.0 - f)))),
  };
  const uint8_t* pick = kSectorChannels[sector.sector];
  rgb[0] = values[pick[0]];
  rgb[1] = values[pick[1]];
  rgb[2] = values[pick[2]];
}

Result<ImageLayout> CheckColorImage(std::string_view transform, const Tensor& image) {
  return CheckImage(transform, image, {DataType::kUInt8}, {1, 3});
}

}  // namespace

Result<TensorPtr> AdjustBrightness(const Tensor& image, double factor) {
  RETURN_IF_ERROR(CheckColorImage("AdjustBrightness", image).status());
  // The degenerate image is black, so each value maps through one table (a scalar lookup
  // per value beats the float blend, even vectorised).
  Lut lut;
  for (int v = 0; v < 256; ++v) lut[v] = BlendValue(0, static_cast<uint8_t>(v), static_cast<float>(factor));
  return ApplyLut(image, lut);
}

Result<TensorPtr> AdjustContrast(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckColorImage("AdjustContrast", image));
  const uint8_t* in = image.data_as<uint8_t>();
  const int64_t pixels = layout.pixels();
  uint64_t sum = 0;
  if (layout.channels == 3) {
    for (int64_t i = 0; i < pixels; ++i) sum += Luma(in[3 * i], in[3 * i + 1], in[3 * i + 2]);
  } else {
    for (int64_t i = 0; i < pixels; ++i) sum += in[i];
  }
  // ImageStat's mean (a double quotient) rounded as ImageEnhance.Contrast does.
  const double mean = static_cast<double>(sum) / static_cast<double>(pixels);
  const auto grey = static_cast<uint8_t>(static_cast<int>(mean + 0.5));
  Lut lut;
  for (int v = 0; v < 256; ++v) lut[v] = BlendValue(grey, static_cast<uint8_t>(v), static_cast<float>(factor));
  return ApplyLut(image, lut);
}

Result<TensorPtr> AdjustSaturation(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckColorImage("AdjustSaturation", image));
  if (layout.channels == 1) return CopyOf(image);  // "L" is its own grey image
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  // Chunks of pixels that stay in L1: the grey image of a chunk (each level three times;
  // scalar, as SSE2 cannot shuffle bytes out of RGB triples), then one blend over it.
  constexpr int64_t kChunk = 1024;
  uint8_t degenerate[3 * kChunk];
  const float f = static_cast<float>(factor);
  for (int64_t start = 0; start < layout.pixels(); start += kChunk) {
    const int64_t n = std::min(kChunk, layout.pixels() - start);
    const uint8_t* src = in + 3 * start;
    for (int64_t i = 0; i < n; ++i) {
      const uint8_t l = Luma(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
      degenerate[3 * i] = l;
      degenerate[3 * i + 1] = l;
      degenerate[3 * i + 2] = l;
    }
    BlendValues(degenerate, src, out + 3 * start, 3 * n, f);
  }
  return output;
}

Result<TensorPtr> AdjustHue(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckColorImage("AdjustHue", image));
  if (!(factor >= -0.5 && factor <= 0.5)) {
    return Status::InvalidArgument("AdjustHue: hue_factor must be in [-0.5, 0.5], got " +
                                   std::to_string(factor));
  }
  if (layout.channels == 1) return CopyOf(image);  // torchvision leaves "L" images alone
  // torchvision adds np.uint8(hue_factor * 255): truncated toward zero, wrapped mod 256.
  const auto shift = static_cast<uint8_t>(static_cast<int>(factor * 255.0) & 0xff);
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  const std::array<HueSector, 256> sectors = HueSectors();
  const int64_t pixels = layout.pixels();
  for (int64_t i = 0; i < pixels; ++i) {
    uint8_t hsv[3];
    RgbToHsv(in + 3 * i, hsv);
    HsvToRgb(sectors[static_cast<uint8_t>(hsv[0] + shift)], hsv[1], hsv[2], out + 3 * i);
  }
  return output;
}

}  // namespace kernels

namespace {

Status CheckFactor(std::string_view transform, std::string_view argument, double factor) {
  if (!(factor >= 0.0) || !std::isfinite(factor)) {
    return Status::InvalidArgument(std::string(transform) + ": " + std::string(argument) +
                                   " must be a non-negative number, got " + std::to_string(factor));
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<AdjustBrightness>> AdjustBrightness::Make(double brightness_factor, ColorArithmetic arithmetic) {
  RETURN_IF_ERROR(CheckFactor("AdjustBrightness", "brightness_factor", brightness_factor));
  return std::make_shared<AdjustBrightness>(brightness_factor, arithmetic);
}

Status AdjustBrightness::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return AdjustColor(image, ColorAdjustment::kBrightness, factor_, arithmetic_);
  });
}

Result<std::shared_ptr<AdjustContrast>> AdjustContrast::Make(double contrast_factor, ColorArithmetic arithmetic) {
  RETURN_IF_ERROR(CheckFactor("AdjustContrast", "contrast_factor", contrast_factor));
  return std::make_shared<AdjustContrast>(contrast_factor, arithmetic);
}

Status AdjustContrast::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return AdjustColor(image, ColorAdjustment::kContrast, factor_, arithmetic_);
  });
}

Result<std::shared_ptr<AdjustSaturation>> AdjustSaturation::Make(double saturation_factor, ColorArithmetic arithmetic) {
  RETURN_IF_ERROR(CheckFactor("AdjustSaturation", "saturation_factor", saturation_factor));
  return std::make_shared<AdjustSaturation>(saturation_factor, arithmetic);
}

Status AdjustSaturation::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return AdjustColor(image, ColorAdjustment::kSaturation, factor_, arithmetic_);
  });
}

Result<std::shared_ptr<AdjustHue>> AdjustHue::Make(double hue_factor, ColorArithmetic arithmetic) {
  if (!(hue_factor >= -0.5 && hue_factor <= 0.5)) {
    return Status::InvalidArgument("AdjustHue: hue_factor must be in [-0.5, 0.5], got " +
                                   std::to_string(hue_factor));
  }
  return std::make_shared<AdjustHue>(hue_factor, arithmetic);
}

Status AdjustHue::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return AdjustColor(image, ColorAdjustment::kHue, factor_, arithmetic_);
  });
}

Result<std::shared_ptr<RandomColorAdjust>> RandomColorAdjust::Make(FactorRange brightness,
                                                                   FactorRange contrast,
                                                                   FactorRange saturation,
                                                                   FactorRange hue,
                                                                   ColorArithmetic arithmetic) {
  const std::pair<const char*, FactorRange> ranges[] = {
      {"brightness", brightness}, {"contrast", contrast}, {"saturation", saturation}, {"hue", hue}};
  for (const auto& [argument, range] : ranges) {
    const bool is_hue = std::string_view(argument) == "hue";
    const bool ok = std::isfinite(range.low) && std::isfinite(range.high) && range.low <= range.high &&
                    (is_hue ? range.low >= -0.5 && range.high <= 0.5 : range.low >= 0.0);
    if (!ok) {
      return Status::InvalidArgument(
          std::string("RandomColorAdjust: ") + argument + " must be a range [min, max] with " +
          (is_hue ? "-0.5 <= min <= max <= 0.5" : "0 <= min <= max") + ", got [" +
          std::to_string(range.low) + ", " + std::to_string(range.high) + "]");
    }
  }
  return std::make_shared<RandomColorAdjust>(brightness, contrast, saturation, hue, arithmetic);
}

RandomColorAdjust::Plan RandomColorAdjust::Draw(uint64_t seed) const {
  Random random(seed);
  std::array<Adjustment, 4> order = {Adjustment::kBrightness, Adjustment::kContrast,
                                     Adjustment::kSaturation, Adjustment::kHue};
  for (int i = 3; i > 0; --i) std::swap(order[i], order[random.UniformInt(0, i)]);
  Plan plan;
  for (Adjustment adjustment : order) {
    const FactorRange& range = ranges_[static_cast<size_t>(adjustment)];
    const double identity = adjustment == Adjustment::kHue ? 0.0 : 1.0;
    if (range.low == identity && range.high == identity) continue;
    plan.steps[plan.size++] = Step{adjustment, random.Uniform(range.low, range.high)};
  }
  return plan;
}

Result<TensorPtr> AdjustColor(const Tensor& image, ColorAdjustment adjustment, double factor,
                              ColorArithmetic arithmetic) {
  const bool mindspore = arithmetic == ColorArithmetic::kMindSpore;
  switch (adjustment) {
    case ColorAdjustment::kBrightness:
      return mindspore ? kernels::MindSporeBrightness(image, factor) : kernels::AdjustBrightness(image, factor);
    case ColorAdjustment::kContrast:
      return mindspore ? kernels::MindSporeContrast(image, factor) : kernels::AdjustContrast(image, factor);
    case ColorAdjustment::kSaturation:
      return mindspore ? kernels::MindSporeSaturation(image, factor) : kernels::AdjustSaturation(image, factor);
    case ColorAdjustment::kHue:
      return mindspore ? kernels::MindSporeHue(image, factor) : kernels::AdjustHue(image, factor);
  }
  return Status::Internal("AdjustColor: unknown adjustment");
}

Result<TensorPtr> RandomColorAdjust::Apply(const Tensor& image, const Plan& plan) const {
  RETURN_IF_ERROR(CheckImage("RandomColorAdjust", image, {DataType::kUInt8}, {1, 3}).status());
  if (plan.size == 0) return CopyOf(image);
  TensorPtr current;
  for (int i = 0; i < plan.size; ++i) {
    const Tensor& in = current ? *current : image;
    ASSIGN_OR_RETURN(current, AdjustColor(in, plan.steps[i].adjustment, plan.steps[i].factor, arithmetic_));
  }
  return current;
}

Status RandomColorAdjust::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  RETURN_IF_ERROR(CheckImage(name(), *image, {DataType::kUInt8}, {1, 3}).status());
  const Plan plan = Draw(seed);
  if (plan.size == 0) return Status::OK();  // every range is the identity: keep the image
  ASSIGN_OR_RETURN(columns->front(), Apply(*image, plan));
  return Status::OK();
}

}  // namespace headrace::transforms
