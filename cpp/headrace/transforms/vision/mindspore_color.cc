#include "headrace/transforms/vision/mindspore_color.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "headrace/transforms/vision/color_space.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms::kernels {

namespace {

Result<ImageLayout> CheckTone(std::string_view transform, const Tensor& image) {
  return CheckImage(transform, image, {DataType::kUInt8}, {1, 3});
}

// cv::addWeighted(degenerate, 1 - factor, image, factor, 0) on uint8 values, with the
// factor a float (MindSpore's argument type) and 1 - factor taken in double, as MindSpore's
// `output * (1.0 - alpha) + input * alpha` does.
struct Blend {
  explicit Blend(double factor)
      : image_weight(static_cast<float>(factor)),
        degenerate_weight(static_cast<float>(1.0 - static_cast<double>(image_weight))) {}
  uint8_t operator()(uint8_t degenerate, uint8_t value) const {
    return RoundToUint8(FusedMultiplyAdd(static_cast<float>(degenerate), degenerate_weight,
                                         static_cast<float>(value) * image_weight));
  }
  float image_weight;
  float degenerate_weight;
};

// OpenCV's uint8 grey level of every pixel of an RGB image (H*W values).
Result<TensorPtr> Grey(const Tensor& image) {
  const ColorConversion to_grey{3, 1, false, false};
  return ConvertColor(image, to_grey);
}

// OpenCV's fixed-point bits of the 8-bit RGB -> HSV.
constexpr int kHsvShift = 12;

// The 8-bit RGB -> HSV of OpenCV (hue range 256): fixed-point divisions by table.
class HsvTables {
 public:
  static const HsvTables& Get() {
    static const HsvTables tables;
    return tables;
  }
  int saturation_divisor(int v) const { return saturation_[v]; }
  int hue_divisor(int diff) const { return hue_[diff]; }

 private:
  HsvTables() {
    // saturate_cast<int> of a double: rounded to nearest, ties to even.
    saturation_[0] = hue_[0] = 0;
    for (int i = 1; i < 256; ++i) {
      saturation_[i] = static_cast<int>(std::nearbyint((255 << kHsvShift) / (1.0 * i)));
      hue_[i] = static_cast<int>(std::nearbyint((256 << kHsvShift) / (6.0 * i)));
    }
  }
  std::array<int, 256> saturation_{};
  std::array<int, 256> hue_{};
};


void RgbToHsvFull(const uint8_t* rgb, uint8_t* hsv) {
  const HsvTables& tables = HsvTables::Get();
  const int r = rgb[0], g = rgb[1], b = rgb[2];
  const int v = std::max(r, std::max(g, b));
  const int diff = v - std::min(r, std::min(g, b));
  const int s = (diff * tables.saturation_divisor(v) + (1 << (kHsvShift - 1))) >> kHsvShift;
  int h;
  if (v == r) {
    h = g - b;
  } else if (v == g) {
    h = b - r + 2 * diff;
  } else {
    h = r - g + 4 * diff;
  }
  h = (h * tables.hue_divisor(diff) + (1 << (kHsvShift - 1))) >> kHsvShift;
  if (h < 0) h += 256;
  hsv[0] = static_cast<uint8_t>(std::min(h, 255));
  hsv[1] = static_cast<uint8_t>(s);
  hsv[2] = static_cast<uint8_t>(v);
}

// HSV_FULL (hue byte over 255 steps of the six sectors) -> RGB in float, as OpenCV's
// HSV2RGB; the result times 255, truncated (`truncate`) or rounded to nearest even.
void HsvFullToRgb(const uint8_t* hsv, uint8_t* rgb, bool truncate) {
  const float v = static_cast<float>(hsv[2]) * (1.0f / 255.0f);
  const float s = static_cast<float>(hsv[1]) * (1.0f / 255.0f);
  float red = v, green = v, blue = v;
  if (s != 0.0f) {
    float h = static_cast<float>(hsv[0]) * (6.0f / 255.0f);
    int sector = static_cast<int>(std::floor(h));
    h -= static_cast<float>(sector);
    sector %= 6;
    const float tab[4] = {v, v * (1.0f - s), v * (1.0f - s * h), v * (1.0f - s * (1.0f - h))};
    // Per sector, which of tab gives blue, green and red.
    static constexpr int kSectors[6][3] = {{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}};
    blue = tab[kSectors[sector][0]];
    green = tab[kSectors[sector][1]];
    red = tab[kSectors[sector][2]];
  }
  const float values[3] = {red * 255.0f, green * 255.0f, blue * 255.0f};
  for (int c = 0; c < 3; ++c) {
    if (truncate) {
      const float t = std::trunc(values[c]);
      rgb[c] = static_cast<uint8_t>(t < 0.0f ? 0.0f : t > 255.0f ? 255.0f : t);
    } else {
      rgb[c] = RoundToUint8(values[c]);
    }
  }
}

// Pixels per step of OpenCV's AVX2 HSV -> RGB loop (4 vectors of 8 floats).
constexpr int64_t kHsvBlock = 32;

}  // namespace

Result<TensorPtr> MindSporeBrightness(const Tensor& image, double factor) {
  RETURN_IF_ERROR(CheckTone("AdjustBrightness", image).status());
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const auto scale = static_cast<float>(factor);
  Lut lut;
  for (int v = 0; v < 256; ++v) lut[v] = RoundToUint8(static_cast<float>(v) * scale);
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  for (int64_t i = 0; i < image.num_elements(); ++i) out[i] = lut[in[i]];
  return output;
}

Result<TensorPtr> MindSporeContrast(const Tensor& image, double factor, MeanRounding rounding) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckTone("AdjustContrast", image));
  TensorPtr grey_image;
  const uint8_t* grey = image.data_as<uint8_t>();
  if (layout.channels == 3) {
    ASSIGN_OR_RETURN(grey_image, Grey(image));
    grey = grey_image->data_as<uint8_t>();
  }
  double sum = 0.0;
  for (int64_t i = 0; i < layout.pixels(); ++i) sum += grey[i];
  const double exact = layout.pixels() > 0 ? sum / static_cast<double>(layout.pixels()) : 0.0;
  const auto mean = static_cast<int>(rounding == MeanRounding::kHalfUp ? exact + 0.5 : std::nearbyint(exact));
  const Blend blend(factor);
  Lut lut;
  for (int v = 0; v < 256; ++v) lut[v] = blend(static_cast<uint8_t>(mean), static_cast<uint8_t>(v));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  for (int64_t i = 0; i < image.num_elements(); ++i) out[i] = lut[in[i]];
  return output;
}

Result<TensorPtr> MindSporeSaturation(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckTone("AdjustSaturation", image));
  if (layout.channels == 1) return CopyOf(image);
  ASSIGN_OR_RETURN(TensorPtr grey_image, Grey(image));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const Blend blend(factor);
  const uint8_t* grey = grey_image->data_as<uint8_t>();
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  for (int64_t i = 0; i < layout.pixels(); ++i) {
    for (int c = 0; c < 3; ++c) out[3 * i + c] = blend(grey[i], in[3 * i + c]);
  }
  return output;
}

Result<TensorPtr> MindSporeHue(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckTone("AdjustHue", image));
  if (layout.channels == 1) return CopyOf(image);
  // static_cast<uint8_t>(hue * 255) of a float, as MindSpore writes it: x86-64 converts
  // through a 32-bit integer, so a negative shift wraps modulo 256.
  const auto shift = static_cast<uint8_t>(static_cast<int32_t>(static_cast<float>(factor) * 255.0f) & 0xff);
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  const int64_t vector_columns = layout.width / kHsvBlock * kHsvBlock;  // the rest of a row is rounded
  for (int64_t y = 0; y < layout.height; ++y) {
    for (int64_t x = 0; x < layout.width; ++x) {
      const int64_t at = 3 * (y * layout.width + x);
      uint8_t hsv[3];
      RgbToHsvFull(in + at, hsv);
      hsv[0] = static_cast<uint8_t>(hsv[0] + shift);
      HsvFullToRgb(hsv, out + at, /*truncate=*/x < vector_columns);
    }
  }
  return output;
}

}  // namespace headrace::transforms::kernels
