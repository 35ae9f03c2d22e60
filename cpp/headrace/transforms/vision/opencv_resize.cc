#include "headrace/transforms/vision/opencv_resize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HEADRACE_OPENCV_RESIZE_AVX2 1
#include <immintrin.h>
#else
#define HEADRACE_OPENCV_RESIZE_AVX2 0
#endif

#include "headrace/transforms/vision/pad.h"

namespace headrace::transforms {

namespace {

// OpenCV's INTER_RESIZE_COEF_BITS: uint8 weights are round(w * 2048).
constexpr int kCoefBits = 11;
constexpr float kCoefScale = static_cast<float>(1 << kCoefBits);

// The window as the image the kernels read: element pointers, rows `stride` apart.
template <typename Pixel>
struct Source {
  const Pixel* data;  // the window's top-left element
  int64_t stride;     // elements from one row to the next
  int64_t height, width, channels;
  const Pixel* Row(int64_t y) const { return data + y * stride; }
};

// The taps of one axis for the separable kernels: output i reads source indices
// index[i * taps + k] (already clamped into the image, times the channel count for the
// horizontal axis) with weight[i * taps + k] (float) or fixed[...] (uint8 images).
struct AxisTaps {
  int taps = 0;
  std::vector<int32_t> index;
  std::vector<float> weight;
  std::vector<int16_t> fixed;
};

enum class TapRule { kLinear, kCubic, kAreaEnlarge };

// Keys' cubic with a = -0.75 at offsets -1, 0, 1, 2 from the floor, in float as OpenCV.
std::array<float, 4> CubicWeights(float x) {
  constexpr float a = -0.75f;
  const float x1 = x + 1.0f, r = 1.0f - x;
  std::array<float, 4> w;
  w[0] = ((a * x1 - 5.0f * a) * x1 + 8.0f * a) * x1 - 4.0f * a;
  w[1] = ((a + 2.0f) * x - (a + 3.0f)) * x * x + 1.0f;
  w[2] = ((a + 2.0f) * r - (a + 3.0f)) * r * r + 1.0f;
  w[3] = 1.0f - w[0] - w[1] - w[2];
  return w;
}

// `columns`: the horizontal axis, where OpenCV moves a linear tap that falls outside the
// image onto the edge pixel with weight 1; along the rows it keeps both weights and only
// clamps the row indices (the same row twice, which its fixed-point vertical pass rounds
// apart from a single weight).
AxisTaps BuildTaps(int64_t src, int64_t dst, TapRule rule, int64_t index_scale, bool columns) {
  const double inv_scale = static_cast<double>(dst) / static_cast<double>(src);
  const double scale = 1.0 / inv_scale;
  AxisTaps axis;
  axis.taps = rule == TapRule::kCubic ? 4 : 2;
  axis.index.resize(dst * axis.taps);
  axis.weight.resize(dst * axis.taps);
  axis.fixed.resize(dst * axis.taps);
  for (int64_t d = 0; d < dst; ++d) {
    int64_t s;
    float f;
    if (rule == TapRule::kAreaEnlarge) {
      // The fraction of the cell of output d that lies in the next source pixel.
      s = static_cast<int64_t>(std::floor(static_cast<double>(d) * scale));
      f = static_cast<float>(static_cast<double>(d + 1) - static_cast<double>(s + 1) * inv_scale);
      f = f <= 0.0f ? 0.0f : f - std::floor(f);
    } else {
      // Pixel centres: (d + 0.5) * scale - 0.5, its floor and fraction, in float.
      f = static_cast<float>((static_cast<double>(d) + 0.5) * scale - 0.5);
      s = static_cast<int64_t>(std::floor(f));
      f -= static_cast<float>(s);
    }
    int32_t* index = &axis.index[d * axis.taps];
    float* weight = &axis.weight[d * axis.taps];
    if (rule == TapRule::kCubic) {
      const std::array<float, 4> w = CubicWeights(f);
      for (int k = 0; k < 4; ++k) {
        index[k] = static_cast<int32_t>(std::clamp<int64_t>(s - 1 + k, 0, src - 1) * index_scale);
        weight[k] = w[k];
      }
    } else {
      if (columns && s < 0) s = 0, f = 0.0f;  // clamped into the image: the edge pixel alone
      if (columns && s >= src - 1) s = src - 1, f = 0.0f;
      index[0] = static_cast<int32_t>(std::clamp<int64_t>(s, 0, src - 1) * index_scale);
      index[1] = static_cast<int32_t>(std::clamp<int64_t>(s + 1, 0, src - 1) * index_scale);
      weight[0] = 1.0f - f;
      weight[1] = f;
    }
    for (int k = 0; k < axis.taps; ++k) {
      axis.fixed[d * axis.taps + k] = static_cast<int16_t>(std::lrint(weight[k] * kCoefScale));
    }
  }
  return axis;
}

// ---- the horizontal pass: one source row into a row of sums (int32 or float) ----

template <typename Pixel, typename Acc, int kTaps, int kChannels>
void HorizontalRow(const Pixel* src, Acc* out, const AxisTaps& axis, int64_t out_width, int64_t channels) {
  const int64_t c_count = kChannels > 0 ? kChannels : channels;
  const int32_t* index = axis.index.data();
  for (int64_t x = 0; x < out_width; ++x, index += kTaps) {
    Acc w[kTaps];
    for (int k = 0; k < kTaps; ++k) {
      if constexpr (std::is_same_v<Acc, int32_t>) {
        w[k] = axis.fixed[x * kTaps + k];
      } else {
        w[k] = axis.weight[x * kTaps + k];
      }
    }
    for (int64_t c = 0; c < c_count; ++c) {
      // Left to right, as OpenCV sums (it decides the float rounding).
      Acc acc = static_cast<Acc>(src[index[0] + c]) * w[0];
      for (int k = 1; k < kTaps; ++k) acc = acc + static_cast<Acc>(src[index[k] + c]) * w[k];
      out[x * c_count + c] = acc;
    }
  }
}

template <typename Pixel, typename Acc, int kTaps>
void HorizontalPass(const Pixel* src, Acc* out, const AxisTaps& axis, int64_t out_width, int64_t channels) {
  switch (channels) {
    case 1: HorizontalRow<Pixel, Acc, kTaps, 1>(src, out, axis, out_width, 1); break;
    case 3: HorizontalRow<Pixel, Acc, kTaps, 3>(src, out, axis, out_width, 3); break;
    case 4: HorizontalRow<Pixel, Acc, kTaps, 4>(src, out, axis, out_width, 4); break;
    default: HorizontalRow<Pixel, Acc, kTaps, 0>(src, out, axis, out_width, channels); break;
  }
}

// ---- the vertical pass: rows of sums into output pixels ----

uint8_t ClampToU8(int32_t v) { return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v); }

// OpenCV's SIMD rounding of the linear vertical pass: each 32-bit sum drops 4 bits, is
// multiplied by its 11-bit weight keeping the high 16 bits, and the total is shifted by 2
// with rounding (the scalar form, (sum + 2^21) >> 22, differs by at most 1).
uint8_t LinearPixel(int32_t r0, int32_t r1, int32_t b0, int32_t b1) {
  const int32_t v = (((r0 >> 4) * b0) >> 16) + (((r1 >> 4) * b1) >> 16);
  return ClampToU8((v + 2) >> 2);
}

#if HEADRACE_OPENCV_RESIZE_AVX2
bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

// 8 row sums, each shifted right by 4 (a lambda would not inherit the target attribute).
__attribute__((target("avx2"))) inline __m256i LoadShifted(const int32_t* p) {
  return _mm256_srai_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), 4);
}

__attribute__((target("avx2"))) inline __m256 LoadAsFloat(const int32_t* p) {
  return _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

// The linear vertical pass 16 pixels at a time, the same integer steps as LinearPixel.
// Returns how many pixels it did.
__attribute__((target("avx2"))) int64_t VerticalLinearU8Avx2(const int32_t* r0, const int32_t* r1, int16_t b0,
                                                             int16_t b1, int64_t n, uint8_t* out) {
  const __m256i w0 = _mm256_set1_epi16(b0), w1 = _mm256_set1_epi16(b1), two = _mm256_set1_epi16(2);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i s0 = _mm256_packs_epi32(LoadShifted(r0 + i), LoadShifted(r0 + i + 8));
    const __m256i s1 = _mm256_packs_epi32(LoadShifted(r1 + i), LoadShifted(r1 + i + 8));
    __m256i v = _mm256_add_epi16(_mm256_mulhi_epi16(s0, w0), _mm256_mulhi_epi16(s1, w1));
    v = _mm256_srai_epi16(_mm256_add_epi16(v, two), 2);
    v = _mm256_permute4x64_epi64(v, 0xD8);  // undo the per-lane interleave of packs
    const __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), bytes);
  }
  return i;
}

// The cubic vertical pass 8 pixels at a time: the products summed from the last row to
// the first, as OpenCV's muladd chain nests them (without FMA, which matched MindSpore 2.10
// best: 1 value in 726,500 a level apart, against 4 for the sum taken the other way and 2
// with fused multiply-adds), rounded to nearest even.
__attribute__((target("avx2"))) int64_t VerticalCubicU8Avx2(const int32_t* const* rows, const float* b,
                                                                int64_t n, uint8_t* out) {
  const __m256 w0 = _mm256_set1_ps(b[0]), w1 = _mm256_set1_ps(b[1]);
  const __m256 w2 = _mm256_set1_ps(b[2]), w3 = _mm256_set1_ps(b[3]);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_mul_ps(LoadAsFloat(rows[3] + i), w3);
    v = _mm256_add_ps(_mm256_mul_ps(LoadAsFloat(rows[2] + i), w2), v);
    v = _mm256_add_ps(_mm256_mul_ps(LoadAsFloat(rows[1] + i), w1), v);
    v = _mm256_add_ps(_mm256_mul_ps(LoadAsFloat(rows[0] + i), w0), v);
    const __m256i q = _mm256_cvtps_epi32(v);  // round to nearest even
    const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(words, words));
  }
  return i;
}
#endif

void VerticalU8(const int32_t* const* rows, const int16_t* fixed, int taps, int64_t n, uint8_t* out) {
  int64_t i = 0;
  if (taps == 2) {
#if HEADRACE_OPENCV_RESIZE_AVX2
    if (HasAvx2()) i = VerticalLinearU8Avx2(rows[0], rows[1], fixed[0], fixed[1], n, out);
#endif
    for (; i < n; ++i) out[i] = LinearPixel(rows[0][i], rows[1][i], fixed[0], fixed[1]);
    return;
  }
  // Cubic: the sums (weights 2^11 twice) in float, as OpenCV's SIMD loop; they may
  // overshoot [0, 255], hence the clamp.
  constexpr float kUnscale = 1.0f / static_cast<float>(1 << (2 * kCoefBits));
  const float b[4] = {fixed[0] * kUnscale, fixed[1] * kUnscale, fixed[2] * kUnscale, fixed[3] * kUnscale};
#if HEADRACE_OPENCV_RESIZE_AVX2
  if (HasAvx2()) i = VerticalCubicU8Avx2(rows, b, n, out);
#endif
  for (; i < n; ++i) {
    float v = static_cast<float>(rows[3][i]) * b[3];
    for (int k = 2; k >= 0; --k) v = static_cast<float>(rows[k][i]) * b[k] + v;
    out[i] = ClampToU8(static_cast<int32_t>(std::lrint(v)));
  }
}

void VerticalF32(const float* const* rows, const float* w, int taps, int64_t n, float* out) {
  if (taps == 2) {
    const float* r0 = rows[0];
    const float* r1 = rows[1];
    for (int64_t i = 0; i < n; ++i) out[i] = r0[i] * w[0] + r1[i] * w[1];
    return;
  }
  const float *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3];
  for (int64_t i = 0; i < n; ++i) out[i] = r0[i] * w[0] + r1[i] * w[1] + r2[i] * w[2] + r3[i] * w[3];
}

// LINEAR, CUBIC and enlarging AREA: the horizontal pass of each source row the vertical
// taps need (once: a ring of `taps` rows, as the rows an output row reads are consecutive
// and distinct modulo `taps`), then the vertical pass of each output row.
template <typename Pixel, typename Acc>
void SeparableResize(const Source<Pixel>& src, const AxisTaps& columns, const AxisTaps& rows_taps,
                     int64_t out_height, int64_t out_width, Pixel* dst) {
  const int taps = rows_taps.taps;
  const int64_t row_len = out_width * src.channels;
  std::vector<Acc> ring(static_cast<size_t>(taps * row_len));
  std::array<int64_t, 4> held = {-1, -1, -1, -1};
  for (int64_t y = 0; y < out_height; ++y) {
    const Acc* rows[4];
    for (int k = 0; k < taps; ++k) {
      const int64_t sy = rows_taps.index[y * taps + k];
      const int slot = static_cast<int>(sy % taps);
      Acc* buffer = ring.data() + slot * row_len;
      if (held[slot] != sy) {
        if (columns.taps == 2) HorizontalPass<Pixel, Acc, 2>(src.Row(sy), buffer, columns, out_width, src.channels);
        else HorizontalPass<Pixel, Acc, 4>(src.Row(sy), buffer, columns, out_width, src.channels);
        held[slot] = sy;
      }
      rows[k] = buffer;
    }
    if constexpr (std::is_same_v<Pixel, uint8_t>) {
      VerticalU8(rows, &rows_taps.fixed[y * taps], taps, row_len, dst + y * row_len);
    } else {
      VerticalF32(rows, &rows_taps.weight[y * taps], taps, row_len, dst + y * row_len);
    }
  }
}

// ---- AREA shrinking ----

// Integer factors: the mean of each fy x fx block, summed row by row as OpenCV does.
template <typename Pixel, typename Acc>
void AreaFastResize(const Source<Pixel>& src, int64_t fy, int64_t fx, int64_t out_height, int64_t out_width,
                    Pixel* dst) {
  const int64_t channels = src.channels;
  const float inverse_area = 1.0f / static_cast<float>(fx * fy);
  const bool half_up = fx == 2 && fy == 2 && (channels == 1 || channels == 3 || channels == 4);
  std::vector<Acc> acc(static_cast<size_t>(channels));
  for (int64_t y = 0; y < out_height; ++y) {
    Pixel* out = dst + y * out_width * channels;
    for (int64_t x = 0; x < out_width; ++x) {
      std::fill(acc.begin(), acc.end(), Acc{});
      for (int64_t sy = 0; sy < fy; ++sy) {
        const Pixel* row = src.Row(y * fy + sy) + x * fx * channels;
        for (int64_t sx = 0; sx < fx; ++sx) {
          for (int64_t c = 0; c < channels; ++c) acc[c] += row[sx * channels + c];
        }
      }
      for (int64_t c = 0; c < channels; ++c) {
        if constexpr (std::is_same_v<Pixel, uint8_t>) {
          // 2x2 blocks of 1, 3 or 4 channels round half up, as OpenCV's SIMD loop; others
          // to nearest even, as its scalar one.
          out[x * channels + c] = half_up
                                      ? ClampToU8((acc[c] + 2) >> 2)
                                      : ClampToU8(static_cast<int32_t>(std::lrint(static_cast<float>(acc[c]) * inverse_area)));
        } else {
          out[x * channels + c] = acc[c] * inverse_area;
        }
      }
    }
  }
}

// One source pixel's share of an output cell along one axis.
struct AreaShare {
  int64_t out, in;
  float weight;
};

// The shares of every output cell of `scale` source pixels, in output then source order.
std::vector<AreaShare> AreaShares(int64_t src, int64_t dst, double scale) {
  std::vector<AreaShare> shares;
  shares.reserve(static_cast<size_t>(src * 2));
  for (int64_t d = 0; d < dst; ++d) {
    const double start = static_cast<double>(d) * scale;
    const double end = start + scale;
    const double cell = std::min(scale, static_cast<double>(src) - start);
    int64_t first = static_cast<int64_t>(std::ceil(start));
    const int64_t last = std::min(static_cast<int64_t>(std::floor(end)), src - 1);
    first = std::min(first, last);
    // Slivers under a thousandth of a pixel are ignored, as OpenCV does.
    if (static_cast<double>(first) - start > 1e-3) {
      shares.push_back({d, first - 1, static_cast<float>((static_cast<double>(first) - start) / cell)});
    }
    for (int64_t s = first; s < last; ++s) shares.push_back({d, s, static_cast<float>(1.0 / cell)});
    if (end - static_cast<double>(last) > 1e-3) {
      const double covered = std::min(std::min(end - static_cast<double>(last), 1.0), cell);
      shares.push_back({d, last, static_cast<float>(covered / cell)});
    }
  }
  return shares;
}

// One source row's shares added into a row of output cells.
template <typename Pixel, int kChannels>
void AreaRow(const Pixel* in, const std::vector<AreaShare>& xs, int64_t channels, float* row) {
  const int64_t c_count = kChannels > 0 ? kChannels : channels;
  for (const AreaShare& x : xs) {
    const Pixel* pixel = in + x.in * c_count;
    float* cell = row + x.out * c_count;
    for (int64_t c = 0; c < c_count; ++c) cell[c] += static_cast<float>(pixel[c]) * x.weight;
  }
}

// Non-integer factors: each output pixel the area-weighted mean of what its cell covers,
// in float, accumulated in OpenCV's order (a weighted source row, then into the output
// row with the row's share).
template <typename Pixel>
void AreaGeneralResize(const Source<Pixel>& src, int64_t out_height, int64_t out_width, Pixel* dst) {
  const int64_t channels = src.channels;
  const int64_t row_len = out_width * channels;
  const std::vector<AreaShare> xs = AreaShares(src.width, out_width, 1.0 / (static_cast<double>(out_width) / src.width));
  const std::vector<AreaShare> ys =
      AreaShares(src.height, out_height, 1.0 / (static_cast<double>(out_height) / src.height));
  std::vector<float> row(static_cast<size_t>(row_len)), sum(static_cast<size_t>(row_len));
  const auto store = [&](int64_t y) {
    Pixel* out = dst + y * row_len;
    for (int64_t i = 0; i < row_len; ++i) {
      if constexpr (std::is_same_v<Pixel, uint8_t>) {
        out[i] = ClampToU8(static_cast<int32_t>(std::lrint(sum[i])));
      } else {
        out[i] = sum[i];
      }
    }
  };
  int64_t current = -1, weighted = -1;
  for (const AreaShare& share : ys) {
    // A row on a cell boundary serves two output rows: weighted once.
    if (share.in != weighted) {
      weighted = share.in;
      std::fill(row.begin(), row.end(), 0.0f);
      switch (channels) {
        case 1: AreaRow<Pixel, 1>(src.Row(share.in), xs, 1, row.data()); break;
        case 3: AreaRow<Pixel, 3>(src.Row(share.in), xs, 3, row.data()); break;
        case 4: AreaRow<Pixel, 4>(src.Row(share.in), xs, 4, row.data()); break;
        default: AreaRow<Pixel, 0>(src.Row(share.in), xs, channels, row.data()); break;
      }
    }
    if (share.out != current) {
      if (current >= 0) store(current);
      for (int64_t i = 0; i < row_len; ++i) sum[i] = share.weight * row[i];
      current = share.out;
    } else {
      for (int64_t i = 0; i < row_len; ++i) sum[i] += share.weight * row[i];
    }
  }
  if (current >= 0) store(current);
}

// ---- NEAREST, any dtype ----

template <size_t kBytes>
void CopyPixels(const uint8_t* row, const std::vector<int64_t>& offsets, uint8_t* out, size_t bytes) {
  const size_t n = kBytes > 0 ? kBytes : bytes;
  for (size_t x = 0; x < offsets.size(); ++x) std::memcpy(out + x * n, row + offsets[x], n);
}

void NearestResize(const uint8_t* data, int64_t stride_bytes, int64_t height, int64_t width, size_t pixel_bytes,
                   int64_t out_height, int64_t out_width, uint8_t* dst) {
  // floor(d * (1 / (dst / src))): OpenCV's mapping, the reciprocal of the inverse scale.
  const double fx = 1.0 / (static_cast<double>(out_width) / static_cast<double>(width));
  const double fy = 1.0 / (static_cast<double>(out_height) / static_cast<double>(height));
  std::vector<int64_t> offsets(static_cast<size_t>(out_width));
  for (int64_t x = 0; x < out_width; ++x) {
    offsets[x] = std::min(static_cast<int64_t>(std::floor(static_cast<double>(x) * fx)), width - 1) *
                 static_cast<int64_t>(pixel_bytes);
  }
  for (int64_t y = 0; y < out_height; ++y) {
    const int64_t sy = std::min(static_cast<int64_t>(std::floor(static_cast<double>(y) * fy)), height - 1);
    const uint8_t* row = data + sy * stride_bytes;
    uint8_t* out = dst + y * out_width * static_cast<int64_t>(pixel_bytes);
    switch (pixel_bytes) {
      case 1: CopyPixels<1>(row, offsets, out, 1); break;
      case 3: CopyPixels<3>(row, offsets, out, 3); break;
      case 4: CopyPixels<4>(row, offsets, out, 4); break;
      case 12: CopyPixels<12>(row, offsets, out, 12); break;
      default: CopyPixels<0>(row, offsets, out, pixel_bytes); break;
    }
  }
}

// ---- dispatch ----

bool IsExactInteger(double scale, int64_t* factor) {
  *factor = static_cast<int64_t>(std::lround(scale));
  return std::fabs(scale - static_cast<double>(*factor)) < 2.220446049250313e-16;  // DBL_EPSILON
}

template <typename Pixel, typename Acc>
void FilteredResize(const Source<Pixel>& src, int64_t out_height, int64_t out_width, Interpolation interpolation,
                    Pixel* dst) {
  const double scale_x = 1.0 / (static_cast<double>(out_width) / static_cast<double>(src.width));
  const double scale_y = 1.0 / (static_cast<double>(out_height) / static_cast<double>(src.height));
  int64_t fx = 0, fy = 0;
  const bool integer = IsExactInteger(scale_x, &fx) && IsExactInteger(scale_y, &fy);
  // OpenCV takes a LINEAR halving for the (equivalent, faster) 2x2 block mean.
  if (interpolation == Interpolation::kLinear && integer && fx == 2 && fy == 2) {
    AreaFastResize<Pixel, Acc>(src, 2, 2, out_height, out_width, dst);
    return;
  }
  TapRule rule = interpolation == Interpolation::kCubic ? TapRule::kCubic : TapRule::kLinear;
  if (interpolation == Interpolation::kArea) {
    if (scale_x >= 1.0 && scale_y >= 1.0) {
      if (integer) AreaFastResize<Pixel, Acc>(src, fy, fx, out_height, out_width, dst);
      else AreaGeneralResize<Pixel>(src, out_height, out_width, dst);
      return;
    }
    rule = TapRule::kAreaEnlarge;
  }
  const AxisTaps columns = BuildTaps(src.width, out_width, rule, src.channels, /*columns=*/true);
  const AxisTaps rows = BuildTaps(src.height, out_height, rule, 1, /*columns=*/false);
  SeparableResize<Pixel, Acc>(src, columns, rows, out_height, out_width, dst);
}

}  // namespace

Result<TensorPtr> OpenCvResize(const Tensor& image, const ImageLayout& layout, const PixelWindow& window,
                               int64_t out_height, int64_t out_width, Interpolation interpolation) {
  const std::string name(InterpolationName(interpolation));
  if (IsPillowInterpolation(interpolation)) {
    return Status::InvalidArgument("OpenCvResize: " + name + " is a Pillow interpolation, not an OpenCV one");
  }
  if (out_height <= 0 || out_width <= 0) {
    return Status::InvalidArgument("OpenCvResize: the output size must be positive, got " +
                                   std::to_string(out_height) + "x" + std::to_string(out_width));
  }
  if (window.top < 0 || window.left < 0 || window.height <= 0 || window.width <= 0 ||
      window.top + window.height > layout.height || window.left + window.width > layout.width) {
    return Status::InvalidArgument(
        "OpenCvResize: the window (top=" + std::to_string(window.top) + ", left=" + std::to_string(window.left) +
        ", height=" + std::to_string(window.height) + ", width=" + std::to_string(window.width) +
        ") must be non-empty and inside the image of shape " + ShapeToString(image.shape()));
  }
  if (interpolation != Interpolation::kNearest && image.dtype() != DataType::kUInt8 &&
      image.dtype() != DataType::kFloat32) {
    return Status::InvalidArgument("OpenCvResize: " + name + " resizing takes uint8 or float32 images, got " +
                                   std::string(DataTypeName(image.dtype())));
  }
  if (window.height == out_height && window.width == out_width) {
    return ExtractWindow(image, layout, window.top, window.left, out_height, out_width, BorderMode::kConstant, {});
  }
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), layout.WithSize(out_height, out_width)));
  const int64_t channels = layout.channels;
  const int64_t first = (window.top * layout.width + window.left) * channels;  // in elements
  if (interpolation == Interpolation::kNearest) {
    const size_t element = static_cast<size_t>(ElementSize(image.dtype()));
    NearestResize(image.data() + first * static_cast<int64_t>(element),
                  layout.width * channels * static_cast<int64_t>(element), window.height, window.width,
                  element * static_cast<size_t>(channels), out_height, out_width, output->mutable_data());
    return output;
  }
  if (image.dtype() == DataType::kUInt8) {
    const Source<uint8_t> src{image.data_as<uint8_t>() + first, layout.width * channels, window.height, window.width,
                              channels};
    FilteredResize<uint8_t, int32_t>(src, out_height, out_width, interpolation, output->mutable_data());
  } else {
    const Source<float> src{image.data_as<float>() + first, layout.width * channels, window.height, window.width,
                            channels};
    FilteredResize<float, float>(src, out_height, out_width, interpolation,
                                 reinterpret_cast<float*>(output->mutable_data()));
  }
  return output;
}

}  // namespace headrace::transforms
