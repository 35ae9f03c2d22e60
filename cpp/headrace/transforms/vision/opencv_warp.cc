#include "headrace/transforms/vision/opencv_warp.h"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "headrace/transforms/vision/pad.h"

namespace headrace::transforms {

namespace {

constexpr int kInterBits = 5;  // fractional bits of a filtered source coordinate
constexpr int kTabSize = 1 << kInterBits;
constexpr int kAbBits = 10;  // fractional bits of the affine fixed-point steps
constexpr double kAbScale = 1 << kAbBits;
constexpr int kCoefBits = 15;  // fixed-point weights of uint8 images
constexpr int kCoefScale = 1 << kCoefBits;
// OpenCV's warpPerspective walks the output in blocks of at most 16 rows and 1024 pixels
// (64 columns unless the image is shorter than 16 rows); a row restarts its double sums
// at each block's first column, which decides how coordinates on a rounding boundary go.
constexpr int64_t kPerspectiveBlockPixels = 1024;
constexpr int64_t kPerspectiveBlockRows = 16;
constexpr double kPi = 3.14159265358979323846;  // CV_PI

// cvRound: to nearest, ties to even; out-of-range values saturate (NaN gives INT_MIN).
inline int64_t RoundToInt(double v) {
  if (!(v > static_cast<double>(INT_MIN))) return INT_MIN;
  if (v >= static_cast<double>(INT_MAX)) return INT_MAX;
  return static_cast<int64_t>(std::nearbyint(v));
}

// The source coordinates are stored as OpenCV's 16-bit map does.
inline int32_t SaturateShort(int64_t v) { return static_cast<int32_t>(std::clamp<int64_t>(v, SHRT_MIN, SHRT_MAX)); }

// Keys' cubic (a = -0.75) at fraction x, in float as OpenCV's interpolateCubic.
void CubicWeights(float x, float* w) {
  const float a = -0.75f;
  w[0] = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a;
  w[1] = ((a + 2) * x - (a + 3)) * x * x + 1;
  w[2] = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1;
  w[3] = 1.f - w[0] - w[1] - w[2];
}

// The K x K weights (row-major, y then x) for each of the 32 x 32 fractions (index
// fy * 32 + fx), in float and in 15-bit fixed point summing to exactly 32768.
template <int K>
struct WeightTables {
  float f[kTabSize * kTabSize][K * K];
  int32_t i[kTabSize * kTabSize][K * K];
};

// On the heap: the cubic tables take 128 KiB, too much for a worker thread's stack.
template <int K>
std::unique_ptr<const WeightTables<K>> MakeWeightTables() {
  auto tables = std::make_unique<WeightTables<K>>();
  WeightTables<K>& t = *tables;
  float one_d[kTabSize][K];
  const float step = 1.f / kTabSize;
  for (int i = 0; i < kTabSize; ++i) {
    const float x = static_cast<float>(i) * step;
    if constexpr (K == 2) {
      one_d[i][0] = 1.f - x;
      one_d[i][1] = x;
    } else {
      CubicWeights(x, one_d[i]);
    }
  }
  for (int fy = 0; fy < kTabSize; ++fy) {
    for (int fx = 0; fx < kTabSize; ++fx) {
      float* f = t.f[fy * kTabSize + fx];
      int32_t* q = t.i[fy * kTabSize + fx];
      int sum = 0;
      for (int ky = 0; ky < K; ++ky) {
        for (int kx = 0; kx < K; ++kx) {
          const float v = one_d[fy][ky] * one_d[fx][kx];
          f[ky * K + kx] = v;
          q[ky * K + kx] = static_cast<int32_t>(std::nearbyint(v * static_cast<float>(kCoefScale)));
          sum += q[ky * K + kx];
        }
      }
      // (OpenCV saturates the weight 1.0 of fraction 0 to 32767 and then gives 1 to
      // another tap: with uint8 taps that never changes a result, so ours keeps 32768.)
      const int diff = sum - kCoefScale;
      if (diff != 0) {
        // Rounding left the sum off by a little: the largest of the four central weights
        // gives it up (or the smallest takes the excess), as OpenCV's tables do.
        int lo = (K / 2) * K + K / 2, hi = lo;
        for (int ky = K / 2; ky < K / 2 + 2; ++ky) {
          for (int kx = K / 2; kx < K / 2 + 2; ++kx) {
            const int k = ky * K + kx;
            if (q[k] < q[lo]) {
              lo = k;
            } else if (q[k] > q[hi]) {
              hi = k;
            }
          }
        }
        q[diff < 0 ? hi : lo] -= diff;
      }
    }
  }
  return tables;
}

template <int K>
const WeightTables<K>& Tables() {
  static const std::unique_ptr<const WeightTables<K>> tables = MakeWeightTables<K>();
  return *tables;
}

// One output row's source positions: whole pixels for kNearest, else the top-left tap
// pixel plus the fraction index into the weight tables.
struct SourceRow {
  std::vector<int32_t> x, y;
  std::vector<uint16_t> fraction;
  explicit SourceRow(int64_t width) : x(width), y(width), fraction(width) {}
};

// Stores fixed-point coordinates (kInterBits fractional bits) as tap pixels and fractions.
inline void StoreFiltered(int64_t fx, int64_t fy, int tap_offset, SourceRow* row, int64_t i) {
  row->x[i] = SaturateShort(fx >> kInterBits) - tap_offset;
  row->y[i] = SaturateShort(fy >> kInterBits) - tap_offset;
  row->fraction[i] = static_cast<uint16_t>((fy & (kTabSize - 1)) * kTabSize + (fx & (kTabSize - 1)));
}

class AffineRows {
 public:
  AffineRows(const AffineMatrix& inverse, int64_t out_width, bool nearest, int tap_offset)
      : m_(inverse), nearest_(nearest), tap_offset_(tap_offset), adelta_(out_width), bdelta_(out_width) {
    for (int64_t x = 0; x < out_width; ++x) {
      adelta_[x] = RoundToInt(m_[0] * static_cast<double>(x) * kAbScale);
      bdelta_[x] = RoundToInt(m_[3] * static_cast<double>(x) * kAbScale);
    }
  }

  void Fill(int64_t y, SourceRow* row) const {
    const int64_t round_delta = nearest_ ? (1 << kAbBits) / 2 : (1 << kAbBits) / kTabSize / 2;
    const auto yd = static_cast<double>(y);
    const int64_t x0 = RoundToInt((m_[1] * yd + m_[2]) * kAbScale) + round_delta;
    const int64_t y0 = RoundToInt((m_[4] * yd + m_[5]) * kAbScale) + round_delta;
    const auto n = static_cast<int64_t>(adelta_.size());
    for (int64_t i = 0; i < n; ++i) {
      const int64_t fx = x0 + adelta_[i];
      const int64_t fy = y0 + bdelta_[i];
      if (nearest_) {
        row->x[i] = SaturateShort(fx >> kAbBits);
        row->y[i] = SaturateShort(fy >> kAbBits);
      } else {
        StoreFiltered(fx >> (kAbBits - kInterBits), fy >> (kAbBits - kInterBits), tap_offset_, row, i);
      }
    }
  }

 private:
  const AffineMatrix m_;
  const bool nearest_;
  const int tap_offset_;
  std::vector<int64_t> adelta_, bdelta_;
};

class PerspectiveRows {
 public:
  PerspectiveRows(const PerspectiveMatrix& inverse, int64_t out_height, int64_t out_width, bool nearest,
                  int tap_offset)
      : m_(inverse), nearest_(nearest), tap_offset_(tap_offset), width_(out_width) {
    const int64_t block_rows = std::min(kPerspectiveBlockRows, out_height);
    block_width_ = std::min(kPerspectiveBlockPixels / block_rows, out_width);
  }

  void Fill(int64_t y, SourceRow* row) const {
    const auto& m = m_;
    const double scale = nearest_ ? 1.0 : kTabSize;
    const auto yd = static_cast<double>(y);
    for (int64_t bx = 0; bx < width_; bx += block_width_) {
      const auto bxd = static_cast<double>(bx);
      const double x0 = m[0] * bxd + m[1] * yd + m[2];
      const double y0 = m[3] * bxd + m[4] * yd + m[5];
      const double w0 = m[6] * bxd + m[7] * yd + m[8];
      const int64_t end = std::min(block_width_, width_ - bx);
      for (int64_t i = 0; i < end; ++i) {
        const auto id = static_cast<double>(i);
        double w = w0 + m[6] * id;
        w = w != 0.0 ? scale / w : 0.0;
        const double fx = std::clamp((x0 + m[0] * id) * w, static_cast<double>(INT_MIN), static_cast<double>(INT_MAX));
        const double fy = std::clamp((y0 + m[3] * id) * w, static_cast<double>(INT_MIN), static_cast<double>(INT_MAX));
        if (nearest_) {
          row->x[bx + i] = SaturateShort(RoundToInt(fx));
          row->y[bx + i] = SaturateShort(RoundToInt(fy));
        } else {
          StoreFiltered(RoundToInt(fx), RoundToInt(fy), tap_offset_, row, bx + i);
        }
      }
    }
  }

 private:
  const PerspectiveMatrix m_;
  const bool nearest_;
  const int tap_offset_;
  const int64_t width_;
  int64_t block_width_;
};

struct Images {
  const uint8_t* src;
  int64_t width, height, channels, pixel_bytes;
  uint8_t* dst;
  int64_t out_width;
  const uint8_t* fill;  // one pixel
};

void SampleNearest(const Images& im, int64_t y, const SourceRow& row) {
  uint8_t* out = im.dst + y * im.out_width * im.pixel_bytes;
  for (int64_t i = 0; i < im.out_width; ++i, out += im.pixel_bytes) {
    const int64_t sx = row.x[i], sy = row.y[i];
    const bool inside = sx >= 0 && sx < im.width && sy >= 0 && sy < im.height;
    std::memcpy(out, inside ? im.src + (sy * im.width + sx) * im.pixel_bytes : im.fill, im.pixel_bytes);
  }
}

template <typename T>
inline T StoreSum(std::conditional_t<std::is_same_v<T, uint8_t>, int32_t, float> sum) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    return static_cast<uint8_t>(std::clamp((sum + (1 << (kCoefBits - 1))) >> kCoefBits, 0, 255));
  } else {
    return sum;
  }
}

// K x K taps from the top-left tap (sx, sy). uint8 sums exactly in int; float32 sums in
// OpenCV's order (LINEAR left to right over the four taps, CUBIC row by row).
template <typename T, int K>
void SampleFiltered(const Images& im, int64_t y, const SourceRow& row) {
  using Acc = std::conditional_t<std::is_same_v<T, uint8_t>, int32_t, float>;
  const auto& tables = Tables<K>();
  const auto* src = reinterpret_cast<const T*>(im.src);
  const auto* fill = reinterpret_cast<const T*>(im.fill);
  const int64_t cn = im.channels;
  const int64_t stride = im.width * cn;
  T* out = reinterpret_cast<T*>(im.dst) + y * im.out_width * cn;
  for (int64_t i = 0; i < im.out_width; ++i, out += cn) {
    const int64_t sx = row.x[i], sy = row.y[i];
    if (sx >= im.width || sx + K <= 0 || sy >= im.height || sy + K <= 0) {
      std::copy(fill, fill + cn, out);
      continue;
    }
    const Acc* w;
    if constexpr (std::is_same_v<T, uint8_t>) {
      w = tables.i[row.fraction[i]];
    } else {
      w = tables.f[row.fraction[i]];
    }
    const bool inside = sx >= 0 && sx + K <= im.width && sy >= 0 && sy + K <= im.height;
    if (inside) {
      const T* s = src + sy * stride + sx * cn;
      for (int64_t c = 0; c < cn; ++c) {
        Acc sum = 0;
        if constexpr (K == 2) {
          sum = s[c] * w[0] + s[c + cn] * w[1] + s[stride + c] * w[2] + s[stride + c + cn] * w[3];
        } else {
          for (int ky = 0; ky < K; ++ky) {
            const T* r = s + ky * stride + c;
            sum += r[0] * w[ky * K] + r[cn] * w[ky * K + 1] + r[2 * cn] * w[ky * K + 2] + r[3 * cn] * w[ky * K + 3];
          }
        }
        out[c] = StoreSum<T>(sum);
      }
      continue;
    }
    // Straddling the border: taps outside read the fill value.
    for (int64_t c = 0; c < cn; ++c) {
      Acc sum = 0;
      if constexpr (K == 4 && !std::is_same_v<T, uint8_t>) sum = fill[c];
      for (int ky = 0; ky < K; ++ky) {
        const int64_t ty = sy + ky;
        for (int kx = 0; kx < K; ++kx) {
          const int64_t tx = sx + kx;
          const bool tap_inside = tx >= 0 && tx < im.width && ty >= 0 && ty < im.height;
          if constexpr (K == 4 && !std::is_same_v<T, uint8_t>) {
            // OpenCV's float cubic border: the fill plus each inside tap's difference.
            if (tap_inside) sum += (src[ty * stride + tx * cn + c] - fill[c]) * w[ky * K + kx];
          } else {
            sum += (tap_inside ? src[ty * stride + tx * cn + c] : fill[c]) * w[ky * K + kx];
          }
        }
      }
      out[c] = StoreSum<T>(sum);
    }
  }
}

template <typename Rows>
Result<TensorPtr> Warp(const Tensor& image, const ImageLayout& layout, const Rows& rows, int64_t out_height,
                       int64_t out_width, Interpolation interpolation, const std::vector<uint8_t>& fill) {
  const DataType dtype = image.dtype();
  ASSIGN_OR_RETURN(std::vector<uint8_t> fill_pixel, FillPixel(dtype, layout.channels, fill));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(dtype, layout.WithSize(out_height, out_width)));
  const Images im{image.data(), layout.width, layout.height, layout.channels,
                  static_cast<int64_t>(fill_pixel.size()), output->mutable_data(), out_width, fill_pixel.data()};
  SourceRow row(out_width);
  for (int64_t y = 0; y < out_height; ++y) {
    rows.Fill(y, &row);
    if (interpolation == Interpolation::kNearest) {
      SampleNearest(im, y, row);
    } else if (interpolation == Interpolation::kCubic) {
      if (dtype == DataType::kUInt8) SampleFiltered<uint8_t, 4>(im, y, row);
      else SampleFiltered<float, 4>(im, y, row);
    } else {
      if (dtype == DataType::kUInt8) SampleFiltered<uint8_t, 2>(im, y, row);
      else SampleFiltered<float, 2>(im, y, row);
    }
  }
  return output;
}

Status CheckWarp(const Tensor& image, const ImageLayout& layout, int64_t out_height, int64_t out_width,
                 Interpolation interpolation) {
  if (IsPillowInterpolation(interpolation)) {
    return Status::InvalidArgument("OpenCvWarp: " + std::string(InterpolationName(interpolation)) +
                                   " is a Pillow interpolation, not an OpenCV one");
  }
  if (interpolation != Interpolation::kNearest && image.dtype() != DataType::kUInt8 &&
      image.dtype() != DataType::kFloat32) {
    return Status::InvalidArgument("OpenCvWarp: " + std::string(InterpolationName(interpolation)) +
                                   " warps take uint8 or float32 images, got " +
                                   std::string(DataTypeName(image.dtype())));
  }
  if (out_height <= 0 || out_width <= 0) {
    return Status::InvalidArgument("OpenCvWarp: the output size must be positive, got " +
                                   std::to_string(out_height) + "x" + std::to_string(out_width));
  }
  if (layout.height <= 0 || layout.width <= 0) {
    return Status::InvalidArgument("OpenCvWarp: the image is empty");
  }
  return Status::OK();
}

// OpenCV's invertAffineTransform as warpAffine does it (a singular matrix gives zeros).
AffineMatrix InvertAffine(const AffineMatrix& m) {
  double d = m[0] * m[4] - m[1] * m[3];
  d = d != 0.0 ? 1.0 / d : 0.0;
  AffineMatrix r = {m[4] * d, -m[1] * d, 0.0, -m[3] * d, m[0] * d, 0.0};
  r[2] = -r[0] * m[2] - r[1] * m[5];
  r[5] = -r[3] * m[2] - r[4] * m[5];
  return r;
}

// cv::invert of a 3 x 3 double matrix: the adjugate over the determinant (zeros if singular).
PerspectiveMatrix InvertPerspective(const PerspectiveMatrix& m) {
  auto at = [&m](int r, int c) { return m[r * 3 + c]; };
  const double det = at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1)) -
                     at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0)) +
                     at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0));
  if (det == 0.0) return PerspectiveMatrix{};
  const double d = 1.0 / det;
  return {(at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1)) * d, (at(0, 2) * at(2, 1) - at(0, 1) * at(2, 2)) * d,
          (at(0, 1) * at(1, 2) - at(0, 2) * at(1, 1)) * d, (at(1, 2) * at(2, 0) - at(1, 0) * at(2, 2)) * d,
          (at(0, 0) * at(2, 2) - at(0, 2) * at(2, 0)) * d, (at(0, 2) * at(1, 0) - at(0, 0) * at(1, 2)) * d,
          (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0)) * d, (at(0, 1) * at(2, 0) - at(0, 0) * at(2, 1)) * d,
          (at(0, 0) * at(1, 1) - at(0, 1) * at(1, 0)) * d};
}

// The top-left tap sits one pixel before the sample for CUBIC (4 taps), at it for LINEAR.
int TapOffset(Interpolation interpolation) { return interpolation == Interpolation::kCubic ? 1 : 0; }

}  // namespace

Result<TensorPtr> OpenCvWarpAffine(const Tensor& image, const ImageLayout& layout, const AffineMatrix& matrix,
                                   int64_t out_height, int64_t out_width, Interpolation interpolation,
                                   const std::vector<uint8_t>& fill) {
  RETURN_IF_ERROR(CheckWarp(image, layout, out_height, out_width, interpolation));
  const AffineRows rows(InvertAffine(matrix), out_width, interpolation == Interpolation::kNearest,
                        TapOffset(interpolation));
  Result<TensorPtr> out = Warp(image, layout, rows, out_height, out_width, interpolation, fill);
  if (!out.ok()) return out.status().WithContext("OpenCvWarp");
  return out;
}

Result<TensorPtr> OpenCvWarpPerspective(const Tensor& image, const ImageLayout& layout,
                                        const PerspectiveMatrix& matrix, int64_t out_height, int64_t out_width,
                                        Interpolation interpolation, const std::vector<uint8_t>& fill) {
  RETURN_IF_ERROR(CheckWarp(image, layout, out_height, out_width, interpolation));
  const PerspectiveRows rows(InvertPerspective(matrix), out_height, out_width,
                             interpolation == Interpolation::kNearest, TapOffset(interpolation));
  Result<TensorPtr> out = Warp(image, layout, rows, out_height, out_width, interpolation, fill);
  if (!out.ok()) return out.status().WithContext("OpenCvWarp");
  return out;
}

std::vector<uint8_t> MindSporeWarpFill(const std::vector<uint8_t>& fill, int64_t channels) {
  if (fill.size() != 1 && fill.size() != 3) return fill;
  const std::array<uint8_t, 4> scalar = fill.size() == 1 ? std::array<uint8_t, 4>{fill[0], fill[0], fill[0], 0}
                                                         : std::array<uint8_t, 4>{fill[0], fill[1], fill[2], 0};
  std::vector<uint8_t> per_channel(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) per_channel[c] = scalar[c % 4];
  return per_channel;
}

AffineMatrix RotationMatrix2D(double center_x, double center_y, float degrees) {
  const double cx = static_cast<float>(center_x);
  const double cy = static_cast<float>(center_y);
  const double angle = static_cast<double>(degrees) * kPi / 180.0;
  const double alpha = std::cos(angle);
  const double beta = std::sin(angle);
  return {alpha, beta, (1 - alpha) * cx - beta * cy, -beta, alpha, beta * cx + (1 - alpha) * cy};
}

Result<PerspectiveMatrix> PerspectiveTransform(const Quad& from, const Quad& to) {
  // Rows i and i + 4 say that point i lands on its target in x and in y.
  double a[8][9] = {};
  for (int i = 0; i < 4; ++i) {
    const float x = static_cast<float>(from[i][0]), y = static_cast<float>(from[i][1]);
    const float u = static_cast<float>(to[i][0]), v = static_cast<float>(to[i][1]);
    double* rx = a[i];
    double* ry = a[i + 4];
    rx[0] = ry[3] = x;
    rx[1] = ry[4] = y;
    rx[2] = ry[5] = 1.0;
    rx[6] = -x * u;
    rx[7] = -y * u;
    ry[6] = -x * v;
    ry[7] = -y * v;
    rx[8] = u;
    ry[8] = v;
  }
  for (int col = 0; col < 8; ++col) {
    int pivot = col;
    for (int r = col + 1; r < 8; ++r) {
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    }
    if (std::fabs(a[pivot][col]) < DBL_EPSILON * 100) {
      return Status::InvalidArgument("the perspective transform is singular: three of the points are collinear");
    }
    if (pivot != col) std::swap(a[pivot], a[col]);
    for (int r = col + 1; r < 8; ++r) {
      const double f = a[r][col] / a[col][col];
      for (int c = col; c < 9; ++c) a[r][c] -= f * a[col][c];
    }
  }
  PerspectiveMatrix m{};
  for (int r = 7; r >= 0; --r) {
    double s = a[r][8];
    for (int c = r + 1; c < 8; ++c) s -= a[r][c] * m[c];
    m[r] = s / a[r][r];
  }
  m[8] = 1.0;
  return m;
}

}  // namespace headrace::transforms
