#include "headrace/transforms/vision/resample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HEADRACE_RESAMPLE_AVX2 1
#include <immintrin.h>
#else
#define HEADRACE_RESAMPLE_AVX2 0
#endif

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/opencv_resize.h"
#include "headrace/transforms/vision/pad.h"

namespace headrace::transforms {

namespace {

// Fixed-point weights of uint8 images: 8 bits of pixel and 2 bits of headroom (weights
// can be negative or exceed one) leave 22 bits in an int32, the precision Pillow uses.
constexpr int kPrecisionBits = 22;

double TriangleFilter(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Keys' cubic convolution kernel with a = -0.5 (Pillow's BICUBIC), support 2.
double CubicFilter(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
  return 0.0;
}

double Sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= M_PI;
  return std::sin(x) / x;
}

// Lanczos with three lobes (Pillow's LANCZOS, which MindSpore's ANTIALIAS means), support 3.
double LanczosFilter(double x) { return (x >= -3.0 && x < 3.0) ? Sinc(x) * Sinc(x / 3.0) : 0.0; }

struct Filter {
  double (*function)(double);
  double support;
};

Filter PillowFilter(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kPillowBicubic:
    case Interpolation::kMindSporePilCubic: return {CubicFilter, 2.0};
    case Interpolation::kPillowLanczos: return {LanczosFilter, 3.0};
    default: return {TriangleFilter, 1.0};
  }
}

// The two pixel types differ only in weights, accumulator and how a sum is stored.
struct U8Kernel {
  using Pixel = uint8_t;
  using Weight = int32_t;
  using Acc = int32_t;
  static Weight ToWeight(double w) {
    const double scaled = w * (1 << kPrecisionBits);
    return static_cast<int32_t>(w < 0 ? scaled - 0.5 : scaled + 0.5);
  }
  static Acc Init() { return 1 << (kPrecisionBits - 1); }  // rounds the final shift
  static Pixel Store(Acc acc) {
    const int32_t v = acc >> kPrecisionBits;
    return static_cast<Pixel>(v < 0 ? 0 : v > 255 ? 255 : v);
  }
};

struct F32Kernel {
  using Pixel = float;
  using Weight = float;
  using Acc = float;
  static Weight ToWeight(double w) { return static_cast<float>(w); }
  static Acc Init() { return 0.0f; }
  static Pixel Store(Acc acc) { return acc; }
};

// The weights of one axis. Output i reads `taps` consecutive source pixels starting at
// first[i]; every output has the same tap count (the largest support, padded with zero
// weights and shifted to stay inside the image) so the inner loops have a fixed length.
// [used_begin, used_end) holds every source pixel with a non-zero weight.
template <typename K>
struct AxisTable {
  int64_t taps = 0;
  std::vector<int64_t> first;
  std::vector<typename K::Weight> weights;
  int64_t used_begin = 0;
  int64_t used_end = 0;
};

template <typename K>
AxisTable<K> BuildAxisTable(int64_t in_size, float in0, float in1, int64_t out_size,
                            Interpolation interpolation) {
  const Filter pillow_filter = PillowFilter(interpolation);
  double (*filter)(double) = pillow_filter.function;
  const double filter_support = pillow_filter.support;
  // Pillow computes the span in float (its box is float) and the rest in double.
  const double scale = static_cast<double>(in1 - in0) / static_cast<double>(out_size);
  const double filter_scale = std::max(scale, 1.0);  // widen the filter only when shrinking
  const double support = filter_support * filter_scale;
  const double inverse_filter_scale = 1.0 / filter_scale;
  const int64_t max_taps = static_cast<int64_t>(std::ceil(support)) * 2 + 1;

  std::vector<int64_t> lo(out_size), count(out_size);
  std::vector<double> raw(out_size * max_taps, 0.0);
  int64_t taps = 1;
  for (int64_t i = 0; i < out_size; ++i) {
    const double center = in0 + (static_cast<double>(i) + 0.5) * scale;
    // Truncating casts, then clamps: the same bounds as Pillow, pixel for pixel.
    const int64_t begin = std::max<int64_t>(0, static_cast<int64_t>(center - support + 0.5));
    const int64_t end = std::min<int64_t>(in_size, static_cast<int64_t>(center + support + 0.5));
    const int64_t n = std::max<int64_t>(0, std::min(end - begin, max_taps));
    double* w = &raw[i * max_taps];
    double sum = 0.0;
    for (int64_t t = 0; t < n; ++t) {
      w[t] = filter((static_cast<double>(t + begin) - center + 0.5) * inverse_filter_scale);
      sum += w[t];
    }
    if (sum != 0.0) {
      for (int64_t t = 0; t < n; ++t) w[t] /= sum;
    }
    lo[i] = begin;
    count[i] = n;
    taps = std::max(taps, n);
  }
  taps = std::min(taps, in_size);

  AxisTable<K> table;
  table.taps = taps;
  table.first.resize(out_size);
  table.weights.assign(out_size * taps, typename K::Weight{});
  for (int64_t i = 0; i < out_size; ++i) {
    const int64_t first = std::min(lo[i], in_size - taps);
    table.first[i] = first;
    for (int64_t t = 0; t < count[i]; ++t) {
      table.weights[i * taps + (lo[i] - first) + t] = K::ToWeight(raw[i * max_taps + t]);
    }
  }
  table.used_begin = lo[0];
  table.used_end = std::max(lo[out_size - 1] + count[out_size - 1], table.used_begin);
  return table;
}

// One row through the horizontal filter. kChannels > 0 fixes the channel count at compile
// time (the accumulators then live in registers); 0 means `channels` at run time.
template <typename K, int kChannels>
void HorizontalRow(const typename K::Pixel* src, typename K::Pixel* dst, const AxisTable<K>& table,
                   int64_t out_width, int64_t channels) {
  using Acc = typename K::Acc;
  const int64_t taps = table.taps;
  for (int64_t x = 0; x < out_width; ++x) {
    const typename K::Weight* w = &table.weights[x * taps];
    if constexpr (kChannels > 0) {
      const typename K::Pixel* s = src + table.first[x] * kChannels;
      Acc acc[kChannels];
      for (int c = 0; c < kChannels; ++c) acc[c] = K::Init();
      for (int64_t t = 0; t < taps; ++t) {
        for (int c = 0; c < kChannels; ++c) acc[c] += static_cast<Acc>(s[t * kChannels + c]) * w[t];
      }
      for (int c = 0; c < kChannels; ++c) dst[x * kChannels + c] = K::Store(acc[c]);
    } else {
      const typename K::Pixel* s = src + table.first[x] * channels;
      for (int64_t c = 0; c < channels; ++c) {
        Acc acc = K::Init();
        for (int64_t t = 0; t < taps; ++t) acc += static_cast<Acc>(s[t * channels + c]) * w[t];
        dst[x * channels + c] = K::Store(acc);
      }
    }
  }
}

// One output row of the vertical filter: out[i] = sum over t of w[t] * rows[t][i].
// Accumulates a block at a time so the sums stay in L1 (or registers) across the taps.
template <typename K>
void VerticalRow(const typename K::Pixel* const* rows, const typename K::Weight* w, int64_t taps,
                 int64_t len, typename K::Pixel* out) {
  using Acc = typename K::Acc;
  constexpr int64_t kBlock = 256;
  Acc acc[kBlock];
  for (int64_t begin = 0; begin < len; begin += kBlock) {
    const int64_t n = std::min(kBlock, len - begin);
    for (int64_t i = 0; i < n; ++i) acc[i] = K::Init();
    for (int64_t t = 0; t < taps; ++t) {
      const typename K::Pixel* row = rows[t] + begin;
      const typename K::Weight weight = w[t];
      for (int64_t i = 0; i < n; ++i) acc[i] += static_cast<Acc>(row[i]) * weight;
    }
    for (int64_t i = 0; i < n; ++i) out[begin + i] = K::Store(acc[i]);
  }
}

#if HEADRACE_RESAMPLE_AVX2
// The hot loops of uint8 images again with AVX2 (8 int32 lanes; SSE2, the baseline, has
// no 32-bit multiply). Same integer arithmetic, so the same results bit for bit.

__attribute__((target("avx2"))) void VerticalRowU8Avx2(const uint8_t* const* rows, const int32_t* w,
                                                        int64_t taps, int64_t len, uint8_t* out) {
  const __m256i init = _mm256_set1_epi32(U8Kernel::Init());
  int64_t i = 0;
  for (; i + 16 <= len; i += 16) {
    __m256i low = init, high = init;
    for (int64_t t = 0; t < taps; ++t) {
      const __m256i weight = _mm256_set1_epi32(w[t]);
      const __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[t] + i));
      low = _mm256_add_epi32(low, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(px), weight));
      high = _mm256_add_epi32(high, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(px, 8)), weight));
    }
    // >> 22, then saturate to int16 and to uint8: the clamp to [0, 255].
    __m256i words = _mm256_packs_epi32(_mm256_srai_epi32(low, kPrecisionBits),
                                       _mm256_srai_epi32(high, kPrecisionBits));
    words = _mm256_permute4x64_epi64(words, 0xD8);  // undo the per-lane interleave of packs
    const __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), bytes);
  }
  for (; i < len; ++i) {
    int32_t acc = U8Kernel::Init();
    for (int64_t t = 0; t < taps; ++t) acc += static_cast<int32_t>(rows[t][i]) * w[t];
    out[i] = U8Kernel::Store(acc);
  }
}

// kRows (2 or 4) rows at once: an 8-lane vector holds a pixel of each of two rows (4 bytes
// each, so 3-channel pixels drag in the next pixel's first byte, whose lane is then
// ignored); every tap's weight is broadcast once for all rows. in[r] is row r's input,
// out[r] its output. The caller guarantees that a byte past the end of the last input row
// may be read.
template <int kChannels, int kRows>
__attribute__((target("avx2"))) void HorizontalRowsU8Avx2(const uint8_t* const* in, uint8_t* const* out,
                                                          const AxisTable<U8Kernel>& table,
                                                          int64_t out_width) {
  static_assert(kChannels == 3 || kChannels == 4, "pixels of 3 or 4 bytes");
  constexpr int kPairs = kRows / 2;
  const int64_t taps = table.taps;
  const __m256i init = _mm256_set1_epi32(U8Kernel::Init());
  for (int64_t x = 0; x < out_width; ++x) {
    const int64_t offset = table.first[x] * kChannels;
    const int32_t* w = &table.weights[x * taps];
    __m256i acc[kPairs];
    for (int p = 0; p < kPairs; ++p) acc[p] = init;
    for (int64_t t = 0; t < taps; ++t) {
      const __m256i weight = _mm256_set1_epi32(w[t]);
      const int64_t at = offset + t * kChannels;
      for (int p = 0; p < kPairs; ++p) {
        int32_t p0, p1;
        std::memcpy(&p0, in[2 * p] + at, 4);
        std::memcpy(&p1, in[2 * p + 1] + at, 4);
        const __m128i pair = _mm_unpacklo_epi32(_mm_cvtsi32_si128(p0), _mm_cvtsi32_si128(p1));
        acc[p] = _mm256_add_epi32(acc[p], _mm256_mullo_epi32(_mm256_cvtepu8_epi32(pair), weight));
      }
    }
    for (int p = 0; p < kPairs; ++p) {
      // >> 22, then saturate to int16 and to uint8: the clamp to [0, 255].
      const __m256i shifted = _mm256_srai_epi32(acc[p], kPrecisionBits);
      const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(shifted), _mm256_extracti128_si256(shifted, 1));
      const __m128i bytes = _mm_packus_epi16(words, words);
      const int32_t r0 = _mm_cvtsi128_si32(bytes), r1 = _mm_extract_epi32(bytes, 1);
      std::memcpy(out[2 * p] + x * kChannels, &r0, kChannels);
      std::memcpy(out[2 * p + 1] + x * kChannels, &r1, kChannels);
    }
  }
}

// Rows r, r+1, ... of a pass (row_len apart) into consecutive output rows.
template <int kChannels, int kRows>
void HorizontalRowsAt(const uint8_t* src, int64_t in_row_len, int64_t r, uint8_t* dst,
                      int64_t out_row_len, const AxisTable<U8Kernel>& table, int64_t out_width) {
  const uint8_t* in[kRows];
  uint8_t* out[kRows];
  for (int i = 0; i < kRows; ++i) {
    in[i] = src + (r + i) * in_row_len;
    out[i] = dst + i * out_row_len;
  }
  HorizontalRowsU8Avx2<kChannels, kRows>(in, out, table, out_width);
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#else
bool HasAvx2() { return false; }
#endif

// Source rows [row_begin, row_end) through the horizontal filter into consecutive rows
// of `dst`. `overread_ok`: a byte past the end of row row_end - 1 may be read.
template <typename K>
void HorizontalPass(const typename K::Pixel* src, int64_t in_row_len, int64_t row_begin,
                    int64_t row_end, const AxisTable<K>& table, int64_t out_width,
                    int64_t channels, typename K::Pixel* dst, bool overread_ok) {
  const int64_t out_row_len = out_width * channels;
  int64_t r = row_begin;
#if HEADRACE_RESAMPLE_AVX2
  if constexpr (std::is_same_v<K, U8Kernel>) {
    if ((channels == 3 || channels == 4) && HasAvx2()) {
      // 3-byte pixels read a byte past the last pixel: fine except on the last row.
      const int64_t pair_end = channels == 4 || overread_ok ? row_end : row_end - 1;
      for (; r + 3 < pair_end; r += 4) {
        uint8_t* out = dst + (r - row_begin) * out_row_len;
        if (channels == 3) HorizontalRowsAt<3, 4>(src, in_row_len, r, out, out_row_len, table, out_width);
        else HorizontalRowsAt<4, 4>(src, in_row_len, r, out, out_row_len, table, out_width);
      }
      for (; r + 1 < pair_end; r += 2) {
        uint8_t* out = dst + (r - row_begin) * out_row_len;
        if (channels == 3) HorizontalRowsAt<3, 2>(src, in_row_len, r, out, out_row_len, table, out_width);
        else HorizontalRowsAt<4, 2>(src, in_row_len, r, out, out_row_len, table, out_width);
      }
    }
  }
#endif
  for (; r < row_end; ++r) {
    const typename K::Pixel* in = src + r * in_row_len;
    typename K::Pixel* out = dst + (r - row_begin) * out_row_len;
    switch (channels) {
      case 1: HorizontalRow<K, 1>(in, out, table, out_width, 1); break;
      case 3: HorizontalRow<K, 3>(in, out, table, out_width, 3); break;
      case 4: HorizontalRow<K, 4>(in, out, table, out_width, 4); break;
      default: HorizontalRow<K, 0>(in, out, table, out_width, channels); break;
    }
  }
}

// The vertical filter over rows of `row_len` elements, `row_stride` apart; `rows` holds
// source row `row_offset` first. Taps of zero weight are skipped (padding taps may lie
// outside the rows at hand).
template <typename K>
void VerticalPass(const typename K::Pixel* rows, int64_t row_stride, int64_t row_len,
                  int64_t row_offset, const AxisTable<K>& table, int64_t out_height,
                  typename K::Pixel* out) {
  std::vector<const typename K::Pixel*> tap_rows(table.taps);
  std::vector<typename K::Weight> tap_weights(table.taps);
  for (int64_t y = 0; y < out_height; ++y) {
    int64_t n = 0;
    for (int64_t t = 0; t < table.taps; ++t) {
      const typename K::Weight w = table.weights[y * table.taps + t];
      if (w == 0) continue;
      tap_rows[n] = rows + (table.first[y] + t - row_offset) * row_stride;
      tap_weights[n++] = w;
    }
    typename K::Pixel* dst = out + y * row_len;
#if HEADRACE_RESAMPLE_AVX2
    if constexpr (std::is_same_v<K, U8Kernel>) {
      if (HasAvx2()) {
        VerticalRowU8Avx2(tap_rows.data(), tap_weights.data(), n, row_len, dst);
        continue;
      }
    }
#endif
    VerticalRow<K>(tap_rows.data(), tap_weights.data(), n, row_len, dst);
  }
}

template <typename K>
void Resample(const Tensor& image, const ImageLayout& layout, const std::array<float, 4>& box,
              int64_t out_height, int64_t out_width, Interpolation interpolation, Tensor* output) {
  using Pixel = typename K::Pixel;
  const int64_t channels = layout.channels;
  const auto* src = image.data_as<Pixel>();
  auto* dst = reinterpret_cast<Pixel*>(output->mutable_data());
  // A pass whose axis keeps its size and covers the whole image is an identity.
  const bool need_horizontal = !(out_width == layout.width && box[0] == 0.0f &&
                                 box[2] == static_cast<float>(layout.width));
  const bool need_vertical = !(out_height == layout.height && box[1] == 0.0f &&
                               box[3] == static_cast<float>(layout.height));
  const int64_t in_row_len = layout.width * channels;
  const int64_t out_row_len = out_width * channels;

  if (!need_vertical) {  // then the box spans all rows and there are as many
    const auto horizontal = BuildAxisTable<K>(layout.width, box[0], box[2], out_width, interpolation);
    HorizontalPass<K>(src, in_row_len, 0, layout.height, horizontal, out_width, channels, dst,
                      /*overread_ok=*/false);
    return;
  }
  const auto vertical = BuildAxisTable<K>(layout.height, box[1], box[3], out_height, interpolation);
  if (!need_horizontal) {
    VerticalPass<K>(src, in_row_len, in_row_len, 0, vertical, out_height, dst);
    return;
  }
  auto horizontal = BuildAxisTable<K>(layout.width, box[0], box[2], out_width, interpolation);
  // The order of the passes changes the rounding of the 8-bit intermediate image, so it
  // follows Pillow (since 13.0): vertical first when the height shrinks by more than
  // twice as many pixels as the width (image sizes, whatever the box). MindSpore's
  // PILCUBIC keeps the older order, horizontal first.
  const int64_t height_cut = layout.height - out_height;
  const bool vertical_first = interpolation != Interpolation::kMindSporePilCubic && height_cut > 0 &&
                              height_cut > 2 * (layout.width - out_width);
  if (!vertical_first) {
    // Only the rows the vertical pass reads go through the horizontal one.
    // (Uninitialised: every element is written before it is read.)
    std::unique_ptr<Pixel[]> rows(new Pixel[(vertical.used_end - vertical.used_begin) * out_row_len]);
    HorizontalPass<K>(src, in_row_len, vertical.used_begin, vertical.used_end, horizontal, out_width,
                      channels, rows.get(), /*overread_ok=*/vertical.used_end < layout.height);
    VerticalPass<K>(rows.get(), out_row_len, out_row_len, vertical.used_begin, vertical, out_height, dst);
    return;
  }
  // Only the columns the horizontal pass reads (its windows, zero-weight padding taps
  // included) go through the vertical pass; the windows are then rebased onto them.
  const int64_t column_begin = horizontal.first.front();
  const int64_t columns = horizontal.first.back() + horizontal.taps - column_begin;
  // + 1: the overread HorizontalPass may do; uninitialised, like the buffer above.
  std::unique_ptr<Pixel[]> rows(new Pixel[out_height * columns * channels + 1]);
  VerticalPass<K>(src + column_begin * channels, in_row_len, columns * channels, 0, vertical,
                  out_height, rows.get());
  for (int64_t& first : horizontal.first) first -= column_begin;
  HorizontalPass<K>(rows.get(), columns * channels, 0, out_height, horizontal, out_width, channels, dst,
                    /*overread_ok=*/true);
}

bool IsInteger(float v) { return v == std::floor(v); }
bool IsWhole(double v) { return v == std::floor(v); }

}  // namespace

namespace {

struct NamedInterpolation {
  Interpolation interpolation;
  std::string_view name;
};

constexpr std::array<NamedInterpolation, 9> kInterpolationNames = {{
    {Interpolation::kNearest, "nearest"},
    {Interpolation::kLinear, "linear"},
    {Interpolation::kCubic, "cubic"},
    {Interpolation::kArea, "area"},
    {Interpolation::kPillowNearest, "pil_nearest"},
    {Interpolation::kPillowBilinear, "pil_bilinear"},
    {Interpolation::kPillowBicubic, "pil_bicubic"},
    {Interpolation::kPillowLanczos, "pil_lanczos"},
    {Interpolation::kMindSporePilCubic, "ms_pilcubic"},
}};

}  // namespace

Result<Interpolation> ParseInterpolation(std::string_view name) {
  std::string known;
  for (const NamedInterpolation& entry : kInterpolationNames) {
    if (entry.name == name) return entry.interpolation;
    known += (known.empty() ? "'" : ", '") + std::string(entry.name) + "'";
  }
  return Status::InvalidArgument("interpolation must be one of " + known + ", got '" + std::string(name) + "'");
}

std::string_view InterpolationName(Interpolation interpolation) {
  for (const NamedInterpolation& entry : kInterpolationNames) {
    if (entry.interpolation == interpolation) return entry.name;
  }
  return "unknown";
}

bool IsPillowInterpolation(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kPillowNearest:
    case Interpolation::kPillowBilinear:
    case Interpolation::kPillowBicubic:
    case Interpolation::kPillowLanczos:
    case Interpolation::kMindSporePilCubic:
      return true;
    default:
      return false;
  }
}

Result<TensorPtr> ResizeRegion(const Tensor& image, const ImageLayout& layout, const SourceBox& box,
                               int64_t out_height, int64_t out_width, Interpolation interpolation) {
  const std::array<float, 4> b = {static_cast<float>(box.x0), static_cast<float>(box.y0),
                                  static_cast<float>(box.x1), static_cast<float>(box.y1)};
  if (out_height <= 0 || out_width <= 0) {
    return Status::InvalidArgument("ResizeRegion: the output size must be positive, got " +
                                   std::to_string(out_height) + "x" + std::to_string(out_width));
  }
  if (!(b[0] >= 0 && b[1] >= 0 && b[0] < b[2] && b[1] < b[3] &&
        b[2] <= static_cast<float>(layout.width) && b[3] <= static_cast<float>(layout.height))) {
    return Status::InvalidArgument(
        "ResizeRegion: the box (x0=" + std::to_string(box.x0) + ", y0=" + std::to_string(box.y0) +
        ", x1=" + std::to_string(box.x1) + ", y1=" + std::to_string(box.y1) +
        ") must be non-empty and inside the image of shape " + ShapeToString(image.shape()));
  }
  if (!IsPillowInterpolation(interpolation)) {
    // MindSpore's kernels crop, then resize (OpenCV's cv::resize of the crop): the box
    // must be whole pixels, and nothing outside it is read.
    if (!(IsWhole(box.x0) && IsWhole(box.y0) && IsWhole(box.x1) && IsWhole(box.y1))) {
      return Status::InvalidArgument("ResizeRegion: " + std::string(InterpolationName(interpolation)) +
                                     " resampling takes a box of whole pixels, got (" + std::to_string(box.x0) +
                                     ", " + std::to_string(box.y0) + ", " + std::to_string(box.x1) + ", " +
                                     std::to_string(box.y1) + ")");
    }
    const auto x0 = static_cast<int64_t>(box.x0), y0 = static_cast<int64_t>(box.y0);
    return OpenCvResize(image, layout,
                        PixelWindow{y0, x0, static_cast<int64_t>(box.y1) - y0, static_cast<int64_t>(box.x1) - x0},
                        out_height, out_width, interpolation);
  }
  // Pillow's shortcut: an integer box of the output's size is a crop.
  if (IsInteger(b[0]) && IsInteger(b[1]) && b[2] - b[0] == static_cast<float>(out_width) &&
      b[3] - b[1] == static_cast<float>(out_height)) {
    return ExtractWindow(image, layout, static_cast<int64_t>(b[1]), static_cast<int64_t>(b[0]),
                         out_height, out_width, BorderMode::kConstant, {});
  }
  if (interpolation == Interpolation::kPillowNearest) {
    // Pillow resizes with nearest through its affine transform, a pure scale here.
    const std::array<double, 6> inverse = {
        static_cast<double>(b[2] - b[0]) / static_cast<double>(out_width), 0.0, b[0],
        0.0, static_cast<double>(b[3] - b[1]) / static_cast<double>(out_height), b[1]};
    return WarpAffine(image, layout, inverse, out_height, out_width, Interpolation::kPillowNearest, {});
  }
  if (image.dtype() != DataType::kUInt8 && image.dtype() != DataType::kFloat32) {
    return Status::InvalidArgument("ResizeRegion: " + std::string(InterpolationName(interpolation)) +
                                   " resampling takes uint8 or float32 images, got " +
                                   std::string(DataTypeName(image.dtype())));
  }
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), layout.WithSize(out_height, out_width)));
  if (image.dtype() == DataType::kUInt8) {
    Resample<U8Kernel>(image, layout, b, out_height, out_width, interpolation, output.get());
  } else {
    Resample<F32Kernel>(image, layout, b, out_height, out_width, interpolation, output.get());
  }
  return output;
}

}  // namespace headrace::transforms
