#include "headrace/transforms/vision/affine.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/pad.h"

namespace headrace::transforms {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Python's math.radians: x * (pi / 180) with the same double pi.
constexpr double kDegreesToRadians = kPi / 180.0;

// The pixel index containing coordinate v; -1 for any negative v (Pillow's COORD), a huge
// value for v past the int64 range or NaN.
inline int64_t Coord(double v) {
  if (v < 0.0) return -1;
  if (!(v < 4.0e18)) return INT64_MAX;
  return static_cast<int64_t>(v);
}

// MindSpore's nearest warps any fixed-width dtype, the filters uint8 and float32.
Result<ImageLayout> CheckWarpable(std::string_view transform, const Tensor& image, Interpolation interpolation) {
  if (interpolation == Interpolation::kNearest) return CheckImage(transform, image);
  return CheckImage(transform, image, {DataType::kUInt8, DataType::kFloat32});
}

inline int64_t Clamp(int64_t v, int64_t n) { return v < 0 ? 0 : v >= n ? n - 1 : v; }

// The geometry every warp loop needs.
struct Warp {
  const uint8_t* src;
  int64_t in_width, in_height, channels, pixel_bytes;
  uint8_t* dst;
  int64_t out_width, out_height;
  std::array<double, 6> a;
};

// Copies one pixel; a compile-time size (kBytes > 0) becomes plain loads and stores.
template <int kBytes>
inline void CopyPixel(uint8_t* out, const uint8_t* in, int64_t bytes) {
  std::memcpy(out, in, kBytes > 0 ? kBytes : bytes);
}

// Nearest neighbour, the three ways Pillow does it so that every output pixel picks the
// same source pixel: a pure scale (double steps), a general matrix in 16.16 fixed point,
// and double steps when fixed point would overflow.
template <int kBytes>
void NearestWarp(const Warp& w) {
  const auto& a = w.a;
  const int64_t pb = w.pixel_bytes;
  const int64_t in_row = w.in_width * pb;
  if (a[1] == 0.0 && a[3] == 0.0) {
    std::vector<int64_t> column(w.out_width, -1);
    double xo = a[2] + a[0] * 0.5;
    for (int64_t x = 0; x < w.out_width; ++x, xo += a[0]) {
      const int64_t c = Coord(xo);
      if (c >= 0 && c < w.in_width) column[x] = c;
    }
    double yo = a[5] + a[4] * 0.5;
    for (int64_t y = 0; y < w.out_height; ++y, yo += a[4]) {
      const int64_t r = Coord(yo);
      if (r < 0 || r >= w.in_height) continue;
      const uint8_t* in = w.src + r * in_row;
      uint8_t* out = w.dst + y * w.out_width * pb;
      for (int64_t x = 0; x < w.out_width; ++x) {
        if (column[x] >= 0) CopyPixel<kBytes>(out + x * pb, in + column[x] * pb, pb);
      }
    }
    return;
  }
  auto fits_fixed = [&](double x, double y) {
    return std::fabs(x * a[0] + y * a[1] + a[2]) < 32768.0 && std::fabs(x * a[3] + y * a[4] + a[5]) < 32768.0;
  };
  const auto ow = static_cast<double>(w.out_width);
  const auto oh = static_cast<double>(w.out_height);
  if (fits_fixed(0, 0) && fits_fixed(ow, oh) && fits_fixed(0, oh) && fits_fixed(ow, 0)) {
    auto fix = [](double v) { return static_cast<int64_t>(std::floor(v * 65536.0 + 0.5)); };
    const int64_t a0 = fix(a[0]), a1 = fix(a[1]), a3 = fix(a[3]), a4 = fix(a[4]);
    int64_t row_x = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
    int64_t row_y = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
    for (int64_t y = 0; y < w.out_height; ++y, row_x += a1, row_y += a4) {
      uint8_t* out = w.dst + y * w.out_width * pb;
      int64_t xx = row_x, yy = row_y;
      for (int64_t x = 0; x < w.out_width; ++x, xx += a0, yy += a3) {
        const int64_t c = xx >> 16;  // floor, for negative values too
        const int64_t r = yy >> 16;
        if (c >= 0 && c < w.in_width && r >= 0 && r < w.in_height) {
          CopyPixel<kBytes>(out + x * pb, w.src + r * in_row + c * pb, pb);
        }
      }
    }
    return;
  }
  double row_x = a[2] + a[1] * 0.5 + a[0] * 0.5;
  double row_y = a[5] + a[4] * 0.5 + a[3] * 0.5;
  for (int64_t y = 0; y < w.out_height; ++y, row_x += a[1], row_y += a[4]) {
    uint8_t* out = w.dst + y * w.out_width * pb;
    double xx = row_x, yy = row_y;
    for (int64_t x = 0; x < w.out_width; ++x, xx += a[0], yy += a[3]) {
      const int64_t c = Coord(xx);
      const int64_t r = Coord(yy);
      if (c >= 0 && c < w.in_width && r >= 0 && r < w.in_height) {
        CopyPixel<kBytes>(out + x * pb, w.src + r * in_row + c * pb, pb);
      }
    }
  }
}

// One step of Pillow's cubic interpolation (a = -1 convolution) at fraction d. U is the
// sample type: arithmetic on uint8 samples happens in int, on float32 in float, as there.
template <typename U>
inline double Cubic(U v1, U v2, U v3, U v4, double d) {
  const double p1 = v2;
  const double p2 = -v1 + v3;
  const double p3 = 2 * (v1 - v2) + v3 - v4;
  const double p4 = -v1 + v2 - v3 + v4;
  return p1 + d * (p2 + d * (p3 + d * p4));
}

template <typename T>
inline T StoreSample(double v, bool clamp) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    if (clamp) return v <= 0.0 ? 0 : v >= 255.0 ? 255 : static_cast<uint8_t>(v);
    return static_cast<uint8_t>(v);  // truncates, as Pillow
  } else {
    return static_cast<T>(v);
  }
}

// Bilinear or bicubic, point by point in double like Pillow's generic transform.
template <typename T, bool kCubic>
void FilteredWarp(const Warp& w) {
  const auto& a = w.a;
  const auto* src = reinterpret_cast<const T*>(w.src);
  auto* dst = reinterpret_cast<T*>(w.dst);
  const int64_t ch = w.channels;
  const int64_t in_row = w.in_width * ch;
  for (int64_t y = 0; y < w.out_height; ++y) {
    const double yc = static_cast<double>(y) + 0.5;
    for (int64_t x = 0; x < w.out_width; ++x) {
      const double xc = static_cast<double>(x) + 0.5;
      double xin = a[0] * xc + a[1] * yc + a[2];
      double yin = a[3] * xc + a[4] * yc + a[5];
      if (!(xin >= 0.0 && xin < w.in_width && yin >= 0.0 && yin < w.in_height)) continue;
      xin -= 0.5;
      yin -= 0.5;
      const double fx = std::floor(xin), fy = std::floor(yin);
      const double dx = xin - fx, dy = yin - fy;
      const auto ix = static_cast<int64_t>(fx), iy = static_cast<int64_t>(fy);
      T* out = dst + (y * w.out_width + x) * ch;
      if constexpr (!kCubic) {
        const T* r0 = src + Clamp(iy, w.in_height) * in_row;
        const T* r1 = src + Clamp(iy + 1, w.in_height) * in_row;
        const int64_t c0 = Clamp(ix, w.in_width) * ch, c1 = Clamp(ix + 1, w.in_width) * ch;
        for (int64_t c = 0; c < ch; ++c) {
          const double v1 = r0[c0 + c] + (r0[c1 + c] - r0[c0 + c]) * dx;
          const double v2 = r1[c0 + c] + (r1[c1 + c] - r1[c0 + c]) * dx;
          out[c] = StoreSample<T>(v1 + (v2 - v1) * dy, false);
        }
      } else {
        int64_t cols[4];
        const T* rows[4];
        for (int k = 0; k < 4; ++k) {
          cols[k] = Clamp(ix - 1 + k, w.in_width) * ch;
          rows[k] = src + Clamp(iy - 1 + k, w.in_height) * in_row;
        }
        for (int64_t c = 0; c < ch; ++c) {
          double v[4];
          for (int k = 0; k < 4; ++k) {
            const T* r = rows[k] + c;
            v[k] = Cubic<T>(r[cols[0]], r[cols[1]], r[cols[2]], r[cols[3]], dx);
          }
          out[c] = StoreSample<T>(Cubic<double>(v[0], v[1], v[2], v[3], dy), true);
        }
      }
    }
  }
}

}  // namespace

Result<TensorPtr> WarpAffine(const Tensor& image, const ImageLayout& layout,
                             const std::array<double, 6>& inverse, int64_t out_height,
                             int64_t out_width, Interpolation interpolation,
                             const std::vector<uint8_t>& fill) {
  const DataType dtype = image.dtype();
  if (interpolation != Interpolation::kPillowNearest && interpolation != Interpolation::kPillowBilinear &&
      interpolation != Interpolation::kPillowBicubic) {
    return Status::InvalidArgument("Pillow's affine transform has no " +
                                   std::string(InterpolationName(interpolation)) +
                                   " warp (pil_nearest, pil_bilinear, pil_bicubic; OpenCvWarpAffine takes "
                                   "MindSpore's interpolations)");
  }
  if (interpolation != Interpolation::kPillowNearest && dtype != DataType::kUInt8 && dtype != DataType::kFloat32) {
    return Status::InvalidArgument(std::string(InterpolationName(interpolation)) +
                                   " warps take uint8 or float32 images, got " +
                                   std::string(DataTypeName(dtype)));
  }
  if (out_height <= 0 || out_width <= 0) {
    return Status::InvalidArgument("the output size must be positive, got " + std::to_string(out_height) +
                                   "x" + std::to_string(out_width));
  }
  ASSIGN_OR_RETURN(std::vector<uint8_t> fill_pixel, FillPixel(dtype, layout.channels, fill));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(dtype, layout.WithSize(out_height, out_width)));
  const auto pixel_bytes = static_cast<int64_t>(fill_pixel.size());
  uint8_t* dst = output->mutable_data();
  // Start from the fill colour; the warp overwrites the pixels it can sample.
  if (std::all_of(fill_pixel.begin(), fill_pixel.end(), [](uint8_t b) { return b == 0; })) {
    std::memset(dst, 0, output->nbytes());
  } else {
    for (int64_t i = 0; i < out_height * out_width; ++i) {
      std::memcpy(dst + i * pixel_bytes, fill_pixel.data(), pixel_bytes);
    }
  }
  const Warp warp{image.data(), layout.width, layout.height, layout.channels, pixel_bytes,
                  dst, out_width, out_height, inverse};
  switch (interpolation) {
    case Interpolation::kPillowNearest:
      switch (pixel_bytes) {
        case 1: NearestWarp<1>(warp); break;
        case 3: NearestWarp<3>(warp); break;
        case 4: NearestWarp<4>(warp); break;
        default: NearestWarp<0>(warp); break;
      }
      break;
    case Interpolation::kPillowBilinear:
      if (dtype == DataType::kUInt8) FilteredWarp<uint8_t, false>(warp);
      else FilteredWarp<float, false>(warp);
      break;
    case Interpolation::kPillowBicubic:
      if (dtype == DataType::kUInt8) FilteredWarp<uint8_t, true>(warp);
      else FilteredWarp<float, true>(warp);
      break;
    default:
      break;  // refused above
  }
  return output;
}

std::array<double, 6> InverseAffineMatrix(double center_x, double center_y, const AffineParams& p) {
  const double rot = p.angle * kDegreesToRadians;
  const double sx = p.shear_x * kDegreesToRadians;
  const double sy = p.shear_y * kDegreesToRadians;
  // The forward rotation-shear [[a, b], [c, d]] (determinant 1) ...
  const double a = std::cos(rot - sy) / std::cos(sy);
  const double b = -std::cos(rot - sy) * std::tan(sx) / std::cos(sy) - std::sin(rot);
  const double c = std::sin(rot - sy) / std::cos(sy);
  const double d = -std::sin(rot - sy) * std::tan(sx) / std::cos(sy) + std::cos(rot);
  // ... inverted and divided by the scale, then conjugated by the centre and the
  // translation: M^-1 = C * RSS^-1 * C^-1 * T^-1.
  std::array<double, 6> m = {d / p.scale, -b / p.scale, 0.0, -c / p.scale, a / p.scale, 0.0};
  m[2] += m[0] * (-center_x - p.translate_x) + m[1] * (-center_y - p.translate_y);
  m[5] += m[3] * (-center_x - p.translate_x) + m[4] * (-center_y - p.translate_y);
  m[2] += center_x;
  m[5] += center_y;
  return m;
}

Result<std::shared_ptr<Affine>> Affine::Make(const AffineParams& params, Interpolation interpolation,
                                             std::vector<uint8_t> fill) {
  if (!(params.scale > 0.0)) {
    return Status::InvalidArgument("Affine: scale must be positive, got " + std::to_string(params.scale));
  }
  return std::make_shared<Affine>(params, interpolation, std::move(fill));
}

AffineMatrix MindSporeAffineMatrix(int64_t width, int64_t height, const AffineParams& p) {
  auto radians = [](double degrees) { return static_cast<float>(kPi * static_cast<float>(degrees) / 180.0); };
  const float rot = radians(p.angle);
  const float shear_x = radians(p.shear_x);
  const float shear_y = radians(-p.shear_y);
  const auto scale = static_cast<float>(p.scale);
  const auto cx = static_cast<float>((width - 1) / 2.0);
  const auto cy = static_cast<float>((height - 1) / 2.0);
  // All in float, the trigonometry too: MindSpore calls cos, sin and tan on floats, which
  // C++ resolves to the float overloads. Doing any of it in double moves entries by an
  // ulp, enough to move a row start across a rounding boundary of the warp's fixed point.
  const float turn = rot + shear_y;
  const float cos_turn = std::cos(turn), sin_turn = std::sin(turn);
  const float cos_sy = std::cos(shear_y), tan_sx = std::tan(shear_x);
  const float a = scale * cos_turn / cos_sy;
  const float b = scale * (-cos_turn * tan_sx / cos_sy - std::sin(rot));
  const float c = scale * sin_turn / cos_sy;
  const float d = scale * (-sin_turn * tan_sx / cos_sy + std::cos(rot));
  // M = T * C * RSS * C^-1.
  const float tx = (1.0f - a) * cx - b * cy + static_cast<float>(p.translate_x);
  const float ty = (1.0f - d) * cy - c * cx + static_cast<float>(p.translate_y);
  return {a, b, tx, c, d, ty};
}

Result<TensorPtr> AffineImage(const Tensor& image, const ImageLayout& layout, const AffineParams& params,
                              Interpolation interpolation, const std::vector<uint8_t>& fill) {
  if (!IsPillowInterpolation(interpolation)) {
    return OpenCvWarpAffine(image, layout, MindSporeAffineMatrix(layout.width, layout.height, params),
                            layout.height, layout.width, interpolation, MindSporeWarpFill(fill, layout.channels));
  }
  const std::array<double, 6> inverse = InverseAffineMatrix(layout.width * 0.5, layout.height * 0.5, params);
  return WarpAffine(image, layout, inverse, layout.height, layout.width, interpolation, fill);
}

Status Affine::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("Affine", *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckWarpable("Affine", *image, interpolation_));
  AffineParams params = params_;
  if (!IsPillowInterpolation(interpolation_)) {
    params.translate_x = static_cast<float>(params.translate_x) * static_cast<float>(layout.width);
    params.translate_y = static_cast<float>(params.translate_y) * static_cast<float>(layout.height);
  }
  Result<TensorPtr> warped = AffineImage(*image, layout, params, interpolation_, fill_);
  if (!warped.ok()) return warped.status().WithContext("Affine");
  columns->front() = std::move(warped).value();
  return Status::OK();
}

Result<std::shared_ptr<RandomAffine>> RandomAffine::Make(const RandomAffineRanges& r, Interpolation interpolation,
                                                         std::vector<uint8_t> fill) {
  const std::pair<const char*, std::pair<double, double>> ranges[] = {
      {"degrees", {r.degrees_min, r.degrees_max}},       {"translate x", {r.translate_x_min, r.translate_x_max}},
      {"translate y", {r.translate_y_min, r.translate_y_max}}, {"scale", {r.scale_min, r.scale_max}},
      {"shear x", {r.shear_x_min, r.shear_x_max}},       {"shear y", {r.shear_y_min, r.shear_y_max}}};
  for (const auto& [what, range] : ranges) {
    if (!(range.first <= range.second)) {
      return Status::InvalidArgument(std::string("RandomAffine: the ") + what + " range must be (min, max) with "
                                     "min <= max, got (" + std::to_string(range.first) + ", " +
                                     std::to_string(range.second) + ")");
    }
  }
  if (r.scale_min < 0.0) {
    return Status::InvalidArgument("RandomAffine: scale must not be negative, got " + std::to_string(r.scale_min));
  }
  return std::make_shared<RandomAffine>(r, interpolation, std::move(fill));
}

AffineParams RandomAffine::Draw(uint64_t seed, int64_t width, int64_t height) const {
  Random random(seed);
  const auto& r = ranges_;
  AffineParams p;
  p.angle = std::fmod(random.Uniform(r.degrees_min, r.degrees_max), 360.0);
  // MindSpore scales the range to pixels (in float) before drawing.
  const auto w = static_cast<float>(width), h = static_cast<float>(height);
  p.translate_x = random.Uniform(static_cast<float>(r.translate_x_min) * w, static_cast<float>(r.translate_x_max) * w);
  p.translate_y = random.Uniform(static_cast<float>(r.translate_y_min) * h, static_cast<float>(r.translate_y_max) * h);
  p.scale = random.Uniform(r.scale_min, r.scale_max);
  p.shear_x = random.Uniform(r.shear_x_min, r.shear_x_max);
  p.shear_y = random.Uniform(r.shear_y_min, r.shear_y_max);
  return p;
}

Status RandomAffine::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckWarpable(name(), *image, interpolation_));
  Result<TensorPtr> warped =
      AffineImage(*image, layout, Draw(seed, layout.width, layout.height), interpolation_, fill_);
  if (!warped.ok()) return warped.status().WithContext(name());
  columns->front() = std::move(warped).value();
  return Status::OK();
}

}  // namespace headrace::transforms
