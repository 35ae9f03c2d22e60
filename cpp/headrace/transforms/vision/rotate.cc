#include "headrace/transforms/vision/rotate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <utility>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/opencv_warp.h"

namespace headrace::transforms {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDegreesToRadians = kPi / 180.0;

// Python's float modulo: the result has the sign of the divisor.
double PythonMod(double x, double m) {
  double r = std::fmod(x, m);
  if (r != 0.0) {
    if ((m < 0) != (r < 0)) r += m;
  } else {
    r = std::copysign(0.0, m);
  }
  return r;
}

// Python's round(x, 15): correctly rounded through the decimal string, as CPython does,
// so the matrix matches Pillow's to the last bit.
double Round15(double x) {
  char text[64];
  std::snprintf(text, sizeof text, "%.15f", x);
  return std::strtod(text, nullptr);
}

// Moves whole pixels: output (r, c) takes input (source_row(r, c), source_col(r, c)).
template <int kBytes, typename Map>
void MovePixels(const uint8_t* src, int64_t in_width, uint8_t* dst, int64_t out_height,
                int64_t out_width, int64_t pixel_bytes, Map map) {
  for (int64_t r = 0; r < out_height; ++r) {
    uint8_t* out = dst + r * out_width * pixel_bytes;
    for (int64_t c = 0; c < out_width; ++c) {
      const auto [sr, sc] = map(r, c);
      std::memcpy(out + c * pixel_bytes, src + (sr * in_width + sc) * pixel_bytes,
                  kBytes > 0 ? kBytes : pixel_bytes);
    }
  }
}

template <int kBytes>
void QuarterTurns(const uint8_t* src, const ImageLayout& in, uint8_t* dst, int64_t pixel_bytes, int turns) {
  const int64_t h = in.height, w = in.width;
  if (turns == 1) {
    MovePixels<kBytes>(src, w, dst, w, h, pixel_bytes,
                       [w](int64_t r, int64_t c) { return std::pair<int64_t, int64_t>{c, w - 1 - r}; });
  } else if (turns == 2) {
    MovePixels<kBytes>(src, w, dst, h, w, pixel_bytes,
                       [h, w](int64_t r, int64_t c) { return std::pair<int64_t, int64_t>{h - 1 - r, w - 1 - c}; });
  } else {
    MovePixels<kBytes>(src, w, dst, w, h, pixel_bytes,
                       [h](int64_t r, int64_t c) { return std::pair<int64_t, int64_t>{h - 1 - c, r}; });
  }
}

// MindSpore's Rotate: cv::getRotationMatrix2D about ((w - 1) / 2, (h - 1) / 2) (or the
// given centre, in OpenCV's integer pixel centres) and cv::warpAffine. `expand` takes the
// size of the turned image's bounding box (cv::RotatedRect, in float, rounded to nearest)
// and moves the matrix by half the growth, as MindSpore does.
Result<TensorPtr> OpenCvRotate(const Tensor& image, const ImageLayout& layout, double degrees,
                               const RotateOptions& options) {
  const auto angle = static_cast<float>(PythonMod(degrees, 360.0));
  const double center_x = options.center ? (*options.center)[0] : (layout.width - 1) * 0.5;
  const double center_y = options.center ? (*options.center)[1] : (layout.height - 1) * 0.5;
  AffineMatrix m = RotationMatrix2D(center_x, center_y, angle);
  int64_t out_width = layout.width;
  int64_t out_height = layout.height;
  if (options.expand) {
    const double radians = static_cast<double>(angle) * kPi / 180.0;
    const float b = static_cast<float>(std::cos(radians)) * 0.5f;
    const float a = static_cast<float>(std::sin(radians)) * 0.5f;
    const auto cx = static_cast<float>(center_x), cy = static_cast<float>(center_y);
    const auto w = static_cast<float>(layout.width), h = static_cast<float>(layout.height);
    const float x0 = cx - a * h - b * w, y0 = cy + b * h - a * w;
    const float x1 = cx + a * h - b * w, y1 = cy - b * h - a * w;
    const float xs[4] = {x0, x1, 2 * cx - x0, 2 * cx - x1};
    const float ys[4] = {y0, y1, 2 * cy - y0, 2 * cy - y1};
    const float box_width = *std::max_element(xs, xs + 4) - *std::min_element(xs, xs + 4);
    const float box_height = *std::max_element(ys, ys + 4) - *std::min_element(ys, ys + 4);
    m[2] += box_width / 2.0 - layout.width / 2.0;
    m[5] += box_height / 2.0 - layout.height / 2.0;
    out_width = static_cast<int64_t>(std::nearbyint(box_width));
    out_height = static_cast<int64_t>(std::nearbyint(box_height));
  }
  return OpenCvWarpAffine(image, layout, m, out_height, out_width, options.interpolation,
                          MindSporeWarpFill(options.fill, layout.channels));
}

Status CheckRotatable(std::string_view transform, const TensorPtr& image, const RotateOptions& options,
                      ImageLayout* layout) {
  const bool nearest = options.interpolation == Interpolation::kPillowNearest ||
                       options.interpolation == Interpolation::kNearest;
  Result<ImageLayout> checked = nearest
                                    ? CheckImage(transform, *image)
                                    : CheckImage(transform, *image, {DataType::kUInt8, DataType::kFloat32});
  if (!checked.ok()) return checked.status();
  *layout = *checked;
  return Status::OK();
}

Status RunRotate(std::string_view transform, TensorList* columns, double degrees,
                 const RotateOptions& options) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  ImageLayout layout{};
  RETURN_IF_ERROR(CheckRotatable(transform, image, options, &layout));
  Result<TensorPtr> rotated = RotateImage(image, layout, degrees, options);
  if (!rotated.ok()) return rotated.status().WithContext(std::string(transform));
  columns->front() = std::move(rotated).value();
  return Status::OK();
}

}  // namespace

Result<TensorPtr> RotateQuarterTurns(const Tensor& image, const ImageLayout& layout, int quarter_turns) {
  const int turns = ((quarter_turns % 4) + 4) % 4;
  const bool swap = turns % 2 == 1;
  ASSIGN_OR_RETURN(TensorPtr output,
                   Tensor::Create(image.dtype(), swap ? layout.WithSize(layout.width, layout.height)
                                                      : layout.WithSize(layout.height, layout.width)));
  const int64_t pixel_bytes = layout.channels * ElementSize(image.dtype());
  if (turns == 0) {
    std::memcpy(output->mutable_data(), image.data(), output->nbytes());
    return output;
  }
  uint8_t* dst = output->mutable_data();
  switch (pixel_bytes) {
    case 1: QuarterTurns<1>(image.data(), layout, dst, pixel_bytes, turns); break;
    case 3: QuarterTurns<3>(image.data(), layout, dst, pixel_bytes, turns); break;
    case 4: QuarterTurns<4>(image.data(), layout, dst, pixel_bytes, turns); break;
    default: QuarterTurns<0>(image.data(), layout, dst, pixel_bytes, turns); break;
  }
  return output;
}

Result<TensorPtr> RotateImage(const TensorPtr& image, const ImageLayout& layout, double degrees,
                              const RotateOptions& options) {
  if (!IsPillowInterpolation(options.interpolation)) return OpenCvRotate(*image, layout, degrees, options);
  const double angle = PythonMod(degrees, 360.0);
  const auto w = static_cast<double>(layout.width);
  const auto h = static_cast<double>(layout.height);
  if (!options.center.has_value()) {  // Pillow's exact shortcuts
    if (angle == 0.0) return image;
    if (angle == 180.0) return RotateQuarterTurns(*image, layout, 2);
    if ((angle == 90.0 || angle == 270.0) && (options.expand || layout.width == layout.height)) {
      return RotateQuarterTurns(*image, layout, angle == 90.0 ? 1 : 3);
    }
  }
  const double center_x = options.center ? (*options.center)[0] : w / 2;
  const double center_y = options.center ? (*options.center)[1] : h / 2;
  // The inverse of a counter-clockwise turn is a clockwise one: Pillow builds it from
  // -angle, its sines and cosines rounded to 15 decimals (so 90 degrees has exact zeros).
  const double theta = -(angle * kDegreesToRadians);
  std::array<double, 6> m = {Round15(std::cos(theta)), Round15(std::sin(theta)), 0.0,
                             Round15(-std::sin(theta)), Round15(std::cos(theta)), 0.0};
  auto apply = [&m](double x, double y) {
    return std::pair<double, double>{m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
  };
  std::tie(m[2], m[5]) = apply(-center_x, -center_y);
  m[2] += center_x;
  m[5] += center_y;
  int64_t out_width = layout.width;
  int64_t out_height = layout.height;
  if (options.expand) {
    double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
    for (const auto& [x, y] : {std::pair{0.0, 0.0}, std::pair{w, 0.0}, std::pair{w, h}, std::pair{0.0, h}}) {
      const auto [tx, ty] = apply(x, y);
      min_x = std::min(min_x, tx);
      max_x = std::max(max_x, tx);
      min_y = std::min(min_y, ty);
      max_y = std::max(max_y, ty);
    }
    out_width = static_cast<int64_t>(std::ceil(max_x) - std::floor(min_x));
    out_height = static_cast<int64_t>(std::ceil(max_y) - std::floor(min_y));
    std::tie(m[2], m[5]) = apply(-(out_width - w) / 2.0, -(out_height - h) / 2.0);
  }
  return WarpAffine(*image, layout, m, out_height, out_width, options.interpolation, options.fill);
}

Status Rotate::Compute(TensorList* columns, uint64_t /*seed*/) {
  return RunRotate(name(), columns, degrees_, options_);
}

Result<std::shared_ptr<RandomRotation>> RandomRotation::Make(double min_degrees, double max_degrees,
                                                             RotateOptions options) {
  if (!(min_degrees <= max_degrees)) {
    return Status::InvalidArgument("RandomRotation: degrees must be (min, max) with min <= max, got (" +
                                   std::to_string(min_degrees) + ", " + std::to_string(max_degrees) + ")");
  }
  return std::make_shared<RandomRotation>(min_degrees, max_degrees, std::move(options));
}

Status RandomRotation::Compute(TensorList* columns, uint64_t seed) {
  Random random(seed);
  return RunRotate(name(), columns, random.Uniform(min_degrees_, max_degrees_), options_);
}

}  // namespace headrace::transforms
