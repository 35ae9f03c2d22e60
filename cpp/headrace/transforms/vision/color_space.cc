#include "headrace/transforms/vision/color_space.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "headrace/core/cast.h"
#include "headrace/transforms/vision/as_dtype.h"
#include "headrace/transforms/vision/color_adjust.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

struct NamedConversion {
  const char* name;
  ColorConversion conversion;
};

// vision.ConvertMode's members: {source channels, output channels, swap R/B, source is BGR}.
constexpr std::array<NamedConversion, 20> kConversions = {{
    {"COLOR_BGR2BGRA", {3, 4, false, true}},   {"COLOR_RGB2RGBA", {3, 4, false, false}},
    {"COLOR_BGRA2BGR", {3, 3, false, true}},   {"COLOR_RGBA2RGB", {3, 3, false, false}},
    {"COLOR_BGR2RGBA", {3, 4, true, true}},    {"COLOR_RGB2BGRA", {3, 4, true, false}},
    {"COLOR_RGBA2BGR", {3, 3, true, false}},   {"COLOR_BGRA2RGB", {3, 3, true, true}},
    {"COLOR_BGR2RGB", {3, 3, true, true}},     {"COLOR_RGB2BGR", {3, 3, true, false}},
    {"COLOR_BGRA2RGBA", {3, 4, true, true}},   {"COLOR_RGBA2BGRA", {3, 4, true, false}},
    {"COLOR_BGR2GRAY", {3, 1, false, true}},   {"COLOR_RGB2GRAY", {3, 1, false, false}},
    {"COLOR_GRAY2BGR", {1, 3, false, false}},  {"COLOR_GRAY2RGB", {1, 3, false, false}},
    {"COLOR_GRAY2BGRA", {1, 4, false, false}}, {"COLOR_GRAY2RGBA", {1, 4, false, false}},
    {"COLOR_BGRA2GRAY", {3, 1, false, true}},  {"COLOR_RGBA2GRAY", {3, 1, false, false}},
}};

// OpenCV's RGB -> grey weights: 15-bit fixed point for integer images, float otherwise.
struct GreyWeights {
  static constexpr int kShift = 15;
  static constexpr uint32_t kRed = 9798, kGreen = 19235, kBlue = 3735;
};

template <typename T>
T Grey(T r, T g, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return b * 0.114f + g * 0.587f + r * 0.299f;
  } else {
    using W = GreyWeights;
    const uint64_t y = (uint64_t{b} * W::kBlue + uint64_t{g} * W::kGreen + uint64_t{r} * W::kRed +
                        (uint64_t{1} << (W::kShift - 1))) >>
                       W::kShift;
    return static_cast<T>(y);
  }
}

template <typename T>
constexpr T OpaqueAlpha() {
  if constexpr (std::is_floating_point_v<T>) {
    return T(1);
  } else {
    return std::numeric_limits<T>::max();
  }
}

template <typename T>
void Convert(const T* in, T* out, int64_t pixels, int64_t in_channels, const ColorConversion& c) {
  for (int64_t i = 0; i < pixels; ++i, in += in_channels) {
    if (c.source_channels == 1) {
      for (int k = 0; k < c.output_channels; ++k) *out++ = in[0];
      if (c.output_channels == 4) out[-1] = OpaqueAlpha<T>();
      continue;
    }
    const T first = in[0], second = in[1], third = in[2];
    if (c.output_channels == 1) {
      *out++ = c.source_is_bgr ? Grey(third, second, first) : Grey(first, second, third);
      continue;
    }
    *out++ = c.swap_red_blue ? third : first;
    *out++ = second;
    *out++ = c.swap_red_blue ? first : third;
    if (c.output_channels == 4) *out++ = in_channels == 4 ? in[3] : OpaqueAlpha<T>();
  }
}

// The channel axis of a 3-D or 4-D image for the HSV conversions, or an error naming it.
Result<int64_t> HsvChannelAxis(std::string_view transform, const Tensor& image, bool is_hwc) {
  const Shape& shape = image.shape();
  if (!IsFixedWidth(image.dtype()) || (image.rank() != 3 && image.rank() != 4)) {
    return Status::InvalidArgument(std::string(transform) +
                                   ": expected an image of shape (H, W, C), (N, H, W, C), (C, H, W) or "
                                   "(N, C, H, W) of numbers, got " +
                                   std::string(DataTypeName(image.dtype())) + " of shape " + ShapeToString(shape));
  }
  const int64_t axis = is_hwc ? image.rank() - 1 : image.rank() - 3;
  if (shape[axis] != 3) {
    return Status::InvalidArgument(std::string(transform) + ": expected 3 channels on axis " +
                                   std::to_string(axis) + (is_hwc ? " (is_hwc=True)" : " (is_hwc=False)") +
                                   ", got shape " + ShapeToString(shape));
  }
  return axis;
}

// colorsys.rgb_to_hsv, operation for operation in double.
void ToHsv(double r, double g, double b, double* hsv) {
  const double maxc = std::max(r, std::max(g, b));
  const double minc = std::min(r, std::min(g, b));
  hsv[2] = maxc;
  if (minc == maxc) {
    hsv[0] = hsv[1] = 0.0;
    return;
  }
  const double range = maxc - minc;
  hsv[1] = range / maxc;
  const double rc = (maxc - r) / range, gc = (maxc - g) / range, bc = (maxc - b) / range;
  double h = r == maxc ? bc - gc : g == maxc ? 2.0 + rc - bc : 4.0 + gc - rc;
  h = h / 6.0;
  h -= std::floor(h);  // Python's % 1.0 for a finite h
  hsv[0] = h;
}

// colorsys.hsv_to_rgb.
void ToRgb(double h, double s, double v, double* rgb) {
  if (s == 0.0) {
    rgb[0] = rgb[1] = rgb[2] = v;
    return;
  }
  const double i = std::floor(h * 6.0);  // int() truncates; h * 6 >= 0 for hues in [0, 1]
  const double f = h * 6.0 - i;
  const double p = v * (1.0 - s), q = v * (1.0 - s * f), t = v * (1.0 - s * (1.0 - f));
  const double values[4] = {v, p, q, t};
  // Which of (v, p, q, t) each channel takes, by sector (Python's i % 6, never negative).
  static constexpr int kPick[6][3] = {{0, 3, 1}, {2, 0, 1}, {1, 0, 3}, {1, 2, 0}, {3, 1, 0}, {0, 1, 2}};
  int sector = static_cast<int>(std::fmod(i, 6.0));
  if (sector < 0) sector += 6;
  for (int c = 0; c < 3; ++c) rgb[c] = values[kPick[sector][c]];
}

Result<TensorPtr> HsvKernel(std::string_view transform, const Tensor& image, bool is_hwc, bool to_hsv) {
  ASSIGN_OR_RETURN(int64_t axis, HsvChannelAxis(transform, image, is_hwc));
  ASSIGN_OR_RETURN(TensorPtr input, AsDType(image, DataType::kFloat64));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(DataType::kFloat64, image.shape()));
  const Shape& shape = image.shape();
  // Pixel p of image n has its channel c at n * 3 * plane + c * stride + p, with the
  // channels interleaved (stride 1, pixels 3 apart) or planar (stride = plane).
  int64_t images = 1;
  for (int64_t d = 0; d < (is_hwc ? axis - 2 : axis); ++d) images *= shape[d];
  const int64_t plane = image.num_elements() / images / 3;
  const int64_t stride = is_hwc ? 1 : plane;
  const int64_t step = is_hwc ? 3 : 1;
  const double* in = input->data_as<double>();
  auto* out = reinterpret_cast<double*>(output->mutable_data());
  for (int64_t n = 0; n < images; ++n) {
    const int64_t base = n * 3 * plane;
    for (int64_t p = 0; p < plane; ++p) {
      const int64_t at = base + p * step;
      double result[3];
      if (to_hsv) {
        ToHsv(in[at], in[at + stride], in[at + 2 * stride], result);
      } else {
        ToRgb(in[at], in[at + stride], in[at + 2 * stride], result);
      }
      for (int c = 0; c < 3; ++c) out[at + c * stride] = result[c];
    }
  }
  if (image.dtype() == DataType::kFloat32) return CastTensor(output, DataType::kFloat32);
  return output;
}

}  // namespace

Result<ColorConversion> ParseColorConversion(std::string_view mode) {
  for (const NamedConversion& named : kConversions) {
    if (mode == named.name) return named.conversion;
  }
  return Status::InvalidArgument("ConvertColor: convert_mode must be a ConvertMode, got '" +
                                 std::string(mode) + "'");
}

namespace kernels {

Result<TensorPtr> ConvertColor(const Tensor& image, const ColorConversion& conversion) {
  const bool grey_source = conversion.source_channels == 1;
  ASSIGN_OR_RETURN(ImageLayout layout,
                   grey_source ? CheckImage("ConvertColor", image,
                                            {DataType::kUInt8, DataType::kUInt16, DataType::kFloat32}, {1})
                               : CheckImage("ConvertColor", image,
                                            {DataType::kUInt8, DataType::kUInt16, DataType::kFloat32}, {3, 4}));
  const Shape shape = conversion.output_channels == 1
                          ? Shape{layout.height, layout.width}
                          : Shape{layout.height, layout.width, conversion.output_channels};
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), shape));
  switch (image.dtype()) {
    case DataType::kUInt8:
      Convert(image.data_as<uint8_t>(), output->mutable_data(), layout.pixels(), layout.channels, conversion);
      break;
    case DataType::kUInt16:
      Convert(image.data_as<uint16_t>(), reinterpret_cast<uint16_t*>(output->mutable_data()), layout.pixels(),
              layout.channels, conversion);
      break;
    default:
      Convert(image.data_as<float>(), reinterpret_cast<float*>(output->mutable_data()), layout.pixels(),
              layout.channels, conversion);
      break;
  }
  return output;
}

Result<TensorPtr> Grayscale(const Tensor& image, int output_channels) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("Grayscale", image, {DataType::kUInt8}, {1, 3, 4}));
  const Shape shape = output_channels == 1 ? Shape{layout.height, layout.width}
                                           : Shape{layout.height, layout.width, output_channels};
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(DataType::kUInt8, shape));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  const int64_t c = layout.channels;
  for (int64_t i = 0; i < layout.pixels(); ++i, in += c) {
    const uint8_t grey = c == 1 ? in[0] : Luma(in[0], in[1], in[2]);
    for (int k = 0; k < output_channels; ++k) *out++ = grey;
  }
  return output;
}

Result<TensorPtr> RgbToHsv(const Tensor& image, bool is_hwc) { return HsvKernel("RgbToHsv", image, is_hwc, true); }

Result<TensorPtr> HsvToRgb(const Tensor& image, bool is_hwc) { return HsvKernel("HsvToRgb", image, is_hwc, false); }

}  // namespace kernels

Result<std::shared_ptr<ConvertColor>> ConvertColor::Make(std::string_view mode) {
  ASSIGN_OR_RETURN(ColorConversion conversion, ParseColorConversion(mode));
  return std::make_shared<ConvertColor>(conversion);
}

Status ConvertColor::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                            [&](const Tensor& image) { return kernels::ConvertColor(image, conversion_); });
}

Result<std::shared_ptr<Grayscale>> Grayscale::Make(int num_output_channels) {
  if (num_output_channels != 1 && num_output_channels != 3) {
    return Status::InvalidArgument("Grayscale: num_output_channels must be 1 or 3, got " +
                                   std::to_string(num_output_channels));
  }
  return std::make_shared<Grayscale>(num_output_channels);
}

Status Grayscale::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                            [&](const Tensor& image) { return kernels::Grayscale(image, channels_); });
}

Status HsvConversion::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return to_hsv_ ? kernels::RgbToHsv(image, is_hwc_) : kernels::HsvToRgb(image, is_hwc_);
  });
}

}  // namespace headrace::transforms
