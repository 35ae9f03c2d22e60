#include "headrace/transforms/vision/enhance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace kernels {

namespace {

using Histogram = std::array<int64_t, 256>;

Result<TensorPtr> NewLike(const Tensor& image) { return Tensor::Create(image.dtype(), image.shape()); }

Result<ImageLayout> CheckToneImage(std::string_view transform, const Tensor& image) {
  return CheckImage(transform, image, {DataType::kUInt8}, {1, 3});
}

// One histogram per channel (Pillow's image.histogram(), split by band).
std::vector<Histogram> Histograms(const Tensor& image, const ImageLayout& layout) {
  std::vector<Histogram> hist(layout.channels);
  for (Histogram& h : hist) h.fill(0);
  const uint8_t* in = image.data_as<uint8_t>();
  const int64_t channels = layout.channels;
  const int64_t pixels = layout.pixels();
  for (int64_t i = 0; i < pixels; ++i) {
    for (int64_t c = 0; c < channels; ++c) ++hist[c][in[i * channels + c]];
  }
  return hist;
}

Status CheckAutoContrastArguments(double cutoff, const std::vector<int>& ignore) {
  if (!(cutoff >= 0.0 && cutoff < 50.0)) {
    return Status::InvalidArgument("AutoContrast: cutoff must be in [0, 50), got " +
                                   std::to_string(cutoff));
  }
  for (int v : ignore) {
    if (v < 0 || v > 255) {
      return Status::InvalidArgument("AutoContrast: ignore values must be in [0, 255], got " +
                                     std::to_string(v));
    }
  }
  return Status::OK();
}

Lut IdentityLut() {
  Lut lut;
  for (int v = 0; v < 256; ++v) lut[v] = static_cast<uint8_t>(v);
  return lut;
}

// Python's float floor division a // b (floatobject.c's divmod), on which Pillow's
// cutoff count depends: int(n * cutoff // 100).
double PythonFloorDiv(double a, double b) {
  const double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0 && ((b < 0.0) != (mod < 0.0))) div -= 1.0;
  if (div == 0.0) return std::copysign(0.0, a / b);
  double floor_div = std::floor(div);
  if (div - floor_div > 0.5) floor_div += 1.0;
  return floor_div;
}

// Removes `cut` pixels from one end of `h`, walking from index `from` by `step`.
void CutEnd(Histogram* h, int64_t cut, int from, int step) {
  for (int i = from; i >= 0 && i < 256 && cut > 0; i += step) {
    const int64_t taken = std::min(cut, (*h)[i]);
    (*h)[i] -= taken;
    cut -= taken;
  }
}

Lut AutoContrastLut(Histogram h, double cutoff, const std::vector<int>& ignore) {
  for (int v : ignore) h[v] = 0;
  if (cutoff > 0.0) {
    int64_t n = 0;
    for (int64_t count : h) n += count;
    const auto cut = static_cast<int64_t>(PythonFloorDiv(static_cast<double>(n) * cutoff, 100.0));
    CutEnd(&h, cut, 0, 1);
    CutEnd(&h, cut, 255, -1);
  }
  int lo = 0;
  while (lo < 255 && h[lo] == 0) ++lo;
  int hi = 255;
  while (hi > 0 && h[hi] == 0) --hi;
  if (hi <= lo) return IdentityLut();
  const double scale = 255.0 / (hi - lo);
  const double offset = -lo * scale;
  Lut lut;
  for (int v = 0; v < 256; ++v) {
    const int mapped = static_cast<int>(v * scale + offset);  // truncated, as Python's int()
    lut[v] = static_cast<uint8_t>(std::clamp(mapped, 0, 255));
  }
  return lut;
}

// MindSpore's AutoContrast table: the cutoff percent truncated to an integer, the cut
// counts and the stretch computed in float.
Lut MindSporeAutoContrastLut(Histogram h, double cutoff, const std::vector<int>& ignore) {
  for (int v : ignore) h[v] = 0;
  int64_t n = 0;
  for (int64_t count : h) n += count;
  const auto percent = static_cast<float>(static_cast<int>(cutoff));
  const auto cut = static_cast<int64_t>(percent / 100.0f * static_cast<float>(n));
  CutEnd(&h, cut, 0, 1);
  CutEnd(&h, cut, 255, -1);
  int lo = 0;
  while (lo < 255 && h[lo] == 0) ++lo;
  int hi = 255;
  while (hi >= 0 && h[hi] == 0) --hi;
  if (hi <= lo) return IdentityLut();
  const float scale = 255.0f / static_cast<float>(hi - lo);
  const float offset = -static_cast<float>(lo) * scale;
  Lut lut;
  for (int v = 0; v < 256; ++v) {
    const int mapped = static_cast<int>(static_cast<float>(v) * scale + offset);
    lut[v] = static_cast<uint8_t>(std::clamp(mapped, 0, 255));
  }
  return lut;
}

Lut EqualizeLut(const Histogram& h) {
  int64_t total = 0;
  int64_t last = 0;  // the count of the highest value present
  int present = 0;
  for (int64_t count : h) {
    if (count == 0) continue;
    total += count;
    last = count;
    ++present;
  }
  if (present <= 1) return IdentityLut();
  const int64_t step = (total - last) / 255;
  if (step == 0) return IdentityLut();
  Lut lut;
  int64_t n = step / 2;
  for (int v = 0; v < 256; ++v) {
    // Pillow's point() clips table entries to 255 (reached when step is small).
    lut[v] = static_cast<uint8_t>(std::min<int64_t>(n / step, 255));
    n += h[v];
  }
  return lut;
}

// One row of Pillow's SMOOTH filter (3x3, weights 1 and a centre of 5, over 13), for the
// `inner` values that have a left and a right neighbour `c` values away.
void SmoothRow(const uint8_t* __restrict above, const uint8_t* __restrict centre,
               const uint8_t* __restrict below, uint8_t* __restrict degenerate, int64_t inner, int64_t c) {
  for (int64_t j = 0; j < inner; ++j) {
    const auto sum = static_cast<uint16_t>(above[j - c] + above[j] + above[j + c] + centre[j - c] + 5 * centre[j] +
                                           centre[j + c] + below[j - c] + below[j] + below[j + c]);
    // Pillow sums float weights 1/13 and 5/13 and adds 0.5 (OpenCV's filter2D rounds the
    // same float sum to nearest). sum / 13 is never within 1/26 of a rounding boundary, far
    // beyond float error, so rounding it exactly in integers (sum / 13 + 1/2, floored)
    // gives their value.
    degenerate[j] = static_cast<uint8_t>(static_cast<uint16_t>(2 * sum + 13) / 26);
  }
}

// The same filter on float values (OpenCV's filter2D with the float kernel, no rounding).
void SmoothRow(const float* __restrict above, const float* __restrict centre, const float* __restrict below,
               float* __restrict degenerate, int64_t inner, int64_t c) {
  const float side = 1.0f / 13.0f, middle = 5.0f / 13.0f;
  for (int64_t j = 0; j < inner; ++j) {
    degenerate[j] = side * (above[j - c] + above[j] + above[j + c] + centre[j - c] + centre[j + c] + below[j - c] +
                            below[j] + below[j + c]) +
                    middle * centre[j];
  }
}

// MindSpore's sharpness: the smoothed image (borders kept) blended with the image as
// cv::addWeighted(image, factor, smoothed, 1 - factor): float weights, uint8 rounded to
// nearest even and saturated.
template <typename T>
void MindSporeSharpen(const T* in, T* out, const ImageLayout& layout, double factor) {
  const int64_t c = layout.channels;
  const int64_t row = layout.width * c;
  const int64_t count = layout.pixels() * c;
  std::vector<T> smooth(in, in + count);
  if (layout.height >= 3 && layout.width >= 3) {
    for (int64_t y = 1; y + 1 < layout.height; ++y) {
      SmoothRow(in + (y - 1) * row + c, in + y * row + c, in + (y + 1) * row + c, smooth.data() + y * row + c,
                row - 2 * c, c);
    }
  }
  // MindSpore keeps the factor as a float and takes 1 - factor of that float in double.
  const auto alpha = static_cast<float>(factor);
  const auto beta = static_cast<float>(1.0 - static_cast<double>(alpha));
  for (int64_t i = 0; i < count; ++i) {
    // cv::addWeighted's arithmetic as MindSpore's build runs it (measured against it on
    // blends that land near halves): fma(image, alpha, smoothed * beta).
    const float v = FusedMultiplyAdd(static_cast<float>(in[i]), alpha, static_cast<float>(smooth[i]) * beta);
    if constexpr (std::is_same_v<T, uint8_t>) {
      out[i] = RoundToUint8(v);
    } else {
      out[i] = v;
    }
  }
}

}  // namespace

void BlendValues(const uint8_t* __restrict degenerate, const uint8_t* __restrict image,
                 uint8_t* __restrict out, int64_t count, float factor) {
  int64_t i = 0;
#if defined(__SSE2__)
  // GCC vectorises the scalar loop below, but its uint8 <-> float conversions cost three
  // times these (measured: 120 vs 43 us for 224x224x3). Same float operations per lane
  // (convert, multiply, add, clamp, truncate), so the same results bit for bit.
  const __m128 f = _mm_set1_ps(factor);
  const __m128 low = _mm_setzero_ps();
  const __m128 high = _mm_set1_ps(255.0f);
  const __m128i zero = _mm_setzero_si128();
  for (; i + 16 <= count; i += 16) {
    const __m128i d8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(degenerate + i));
    const __m128i x8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(image + i));
    __m128i halves[2];
    for (int h = 0; h < 2; ++h) {
      const __m128i d16 = h == 0 ? _mm_unpacklo_epi8(d8, zero) : _mm_unpackhi_epi8(d8, zero);
      const __m128i x16 = h == 0 ? _mm_unpacklo_epi8(x8, zero) : _mm_unpackhi_epi8(x8, zero);
      const __m128i diff16 = _mm_sub_epi16(x16, d16);
      __m128i quarters[2];
      for (int q = 0; q < 2; ++q) {
        const __m128i d32 = q == 0 ? _mm_unpacklo_epi16(d16, zero) : _mm_unpackhi_epi16(d16, zero);
        // Sign-extends the 16-bit differences: each lands in the high half, then shifts down.
        const __m128i diff32 = _mm_srai_epi32(
            q == 0 ? _mm_unpacklo_epi16(diff16, diff16) : _mm_unpackhi_epi16(diff16, diff16), 16);
        __m128 v = _mm_add_ps(_mm_cvtepi32_ps(d32), _mm_mul_ps(f, _mm_cvtepi32_ps(diff32)));
        v = _mm_min_ps(_mm_max_ps(v, low), high);
        quarters[q] = _mm_cvttps_epi32(v);
      }
      halves[h] = _mm_packs_epi32(quarters[0], quarters[1]);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(halves[0], halves[1]));
  }
#endif
  for (; i < count; ++i) out[i] = BlendValue(degenerate[i], image[i], factor);
}

Result<TensorPtr> ApplyLut(const Tensor& image, const Lut& lut) {
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* __restrict in = image.data_as<uint8_t>();
  uint8_t* __restrict out = output->mutable_data();
  const int64_t count = image.num_elements();
  // Eight lookups per 8-byte load and store: a store per value would keep the store buffer
  // full and, with the table on the stack, trip over 4K aliasing between table and output.
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    std::memcpy(&word, in + i, sizeof(word));
    uint64_t mapped = 0;
    for (int k = 0; k < 8; ++k) mapped |= static_cast<uint64_t>(lut[(word >> (8 * k)) & 0xff]) << (8 * k);
    std::memcpy(out + i, &mapped, sizeof(mapped));
  }
  for (; i < count; ++i) out[i] = lut[in[i]];
  return output;
}

Result<TensorPtr> ApplyChannelLuts(const Tensor& image, const Lut* luts, int64_t channels) {
  if (channels == 1) return ApplyLut(image, luts[0]);
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* __restrict in = image.data_as<uint8_t>();
  uint8_t* __restrict out = output->mutable_data();
  const int64_t count = image.num_elements();
  int64_t i = 0;
  if (channels == 3) {  // 8 pixels per three 8-byte loads and stores, as ApplyLut
    for (; i + 24 <= count; i += 24) {
      uint64_t words[3];
      std::memcpy(words, in + i, sizeof(words));
      uint64_t mapped[3] = {0, 0, 0};
      for (int w = 0; w < 3; ++w) {
        for (int k = 0; k < 8; ++k) {
          const int channel = (w * 8 + k) % 3;
          mapped[w] |= static_cast<uint64_t>(luts[channel][(words[w] >> (8 * k)) & 0xff]) << (8 * k);
        }
      }
      std::memcpy(out + i, mapped, sizeof(mapped));
    }
  }
  for (; i < count; i += channels) {
    for (int64_t c = 0; c < channels; ++c) out[i + c] = luts[c][in[i + c]];
  }
  return output;
}

Result<TensorPtr> AdjustSharpness(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckToneImage("AdjustSharpness", image));
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  std::memcpy(out, in, static_cast<size_t>(image.num_elements()));  // borders (and tiny images)
  if (layout.height < 3 || layout.width < 3) return output;
  const int64_t c = layout.channels;
  const int64_t row = layout.width * c;
  const int64_t inner = row - 2 * c;  // the values with a left and a right neighbour
  std::vector<uint8_t> smooth(static_cast<size_t>(inner));
  for (int64_t y = 1; y + 1 < layout.height; ++y) {
    const uint8_t* __restrict above = in + (y - 1) * row + c;
    const uint8_t* __restrict centre = in + y * row + c;
    const uint8_t* __restrict below = in + (y + 1) * row + c;
    SmoothRow(above, centre, below, smooth.data(), inner, c);
    BlendValues(smooth.data(), centre, out + y * row + c, inner, static_cast<float>(factor));
  }
  return output;
}

Result<TensorPtr> MindSporeSharpness(const Tensor& image, double factor) {
  ASSIGN_OR_RETURN(ImageLayout layout,
                   CheckImage("Sharpness", image, {DataType::kUInt8, DataType::kFloat32}));
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  if (image.dtype() == DataType::kUInt8) {
    MindSporeSharpen(image.data_as<uint8_t>(), output->mutable_data(), layout, factor);
  } else {
    MindSporeSharpen(image.data_as<float>(), reinterpret_cast<float*>(output->mutable_data()), layout, factor);
  }
  return output;
}

Result<TensorPtr> Posterize(const Tensor& image, int bits) {
  RETURN_IF_ERROR(CheckToneImage("Posterize", image).status());
  if (bits < 0 || bits > 8) {
    return Status::InvalidArgument("Posterize: bits must be in [0, 8], got " + std::to_string(bits));
  }
  const auto mask = static_cast<uint8_t>(~((1u << (8 - bits)) - 1u));
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* __restrict in = image.data_as<uint8_t>();
  uint8_t* __restrict out = output->mutable_data();
  const int64_t count = image.num_elements();
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(in[i] & mask);
  return output;
}

Result<TensorPtr> Solarize(const Tensor& image, double low, double high) {
  RETURN_IF_ERROR(CheckToneImage("Solarize", image).status());
  // The integer values inside [low, high], as [first, last] (empty when first > last,
  // and when a bound is NaN).
  const bool valid = !std::isnan(low) && !std::isnan(high);
  const int first = valid ? static_cast<int>(std::ceil(std::clamp(low, -1.0, 256.0))) : 1;
  const int last = valid ? static_cast<int>(std::floor(std::clamp(high, -1.0, 256.0))) : 0;
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* __restrict in = image.data_as<uint8_t>();
  uint8_t* __restrict out = output->mutable_data();
  const int64_t count = image.num_elements();
  for (int64_t i = 0; i < count; ++i) {
    const int v = in[i];
    out[i] = static_cast<uint8_t>(v >= first && v <= last ? 255 - v : v);
  }
  return output;
}

Result<TensorPtr> AutoContrast(const Tensor& image, double cutoff, const std::vector<int>& ignore) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckToneImage("AutoContrast", image));
  RETURN_IF_ERROR(CheckAutoContrastArguments(cutoff, ignore));
  std::vector<Lut> luts;
  for (const Histogram& h : Histograms(image, layout)) {
    luts.push_back(AutoContrastLut(h, cutoff, ignore));
  }
  return ApplyChannelLuts(image, luts.data(), layout.channels);
}

Result<TensorPtr> Equalize(const Tensor& image) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckToneImage("Equalize", image));
  std::vector<Lut> luts;
  for (const Histogram& h : Histograms(image, layout)) luts.push_back(EqualizeLut(h));
  return ApplyChannelLuts(image, luts.data(), layout.channels);
}

Result<TensorPtr> MindSporeAutoContrast(const Tensor& image, double cutoff, const std::vector<int>& ignore) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckToneImage("AutoContrast", image));
  RETURN_IF_ERROR(CheckAutoContrastArguments(cutoff, ignore));
  std::vector<Lut> luts;
  for (const Histogram& h : Histograms(image, layout)) luts.push_back(MindSporeAutoContrastLut(h, cutoff, ignore));
  return ApplyChannelLuts(image, luts.data(), layout.channels);
}

Result<TensorPtr> EqualizeHistogram(const Tensor& image) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckToneImage("Equalize", image));
  std::vector<Lut> luts;
  for (const Histogram& h : Histograms(image, layout)) {
    Lut lut = IdentityLut();
    int first = 0;
    while (h[first] == 0) ++first;  // every channel has pixels: CheckImage refuses empty images
    const int64_t rest = layout.pixels() - h[first];
    if (rest > 0) {
      // OpenCV's arithmetic: a float scale, the running count times it rounded to nearest even.
      const float scale = 255.0f / static_cast<float>(rest);
      int64_t sum = 0;
      lut[first] = 0;
      for (int v = first + 1; v < 256; ++v) {
        sum += h[v];
        lut[v] = static_cast<uint8_t>(std::min(255.0f, std::nearbyint(static_cast<float>(sum) * scale)));
      }
    }
    luts.push_back(lut);
  }
  return ApplyChannelLuts(image, luts.data(), layout.channels);
}

Result<TensorPtr> Invert(const Tensor& image) {
  RETURN_IF_ERROR(CheckToneImage("Invert", image).status());
  ASSIGN_OR_RETURN(TensorPtr output, NewLike(image));
  const uint8_t* __restrict in = image.data_as<uint8_t>();
  uint8_t* __restrict out = output->mutable_data();
  const int64_t count = image.num_elements();
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(255 - in[i]);
  return output;
}

}  // namespace kernels

Result<ColorArithmetic> ParseColorArithmetic(std::string_view name) {
  if (name == "mindspore") return ColorArithmetic::kMindSpore;
  if (name == "pillow") return ColorArithmetic::kPillow;
  return Status::InvalidArgument("arithmetic must be 'mindspore' or 'pillow', got '" + std::string(name) + "'");
}

Result<std::shared_ptr<AdjustSharpness>> AdjustSharpness::Make(double sharpness_factor, ColorArithmetic arithmetic) {
  if (!(sharpness_factor >= 0.0) || !std::isfinite(sharpness_factor)) {
    return Status::InvalidArgument(
        "AdjustSharpness: sharpness_factor must be a non-negative number, got " +
        std::to_string(sharpness_factor));
  }
  return std::make_shared<AdjustSharpness>(sharpness_factor, arithmetic);
}

Status AdjustSharpness::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return arithmetic_ == ColorArithmetic::kMindSpore ? kernels::MindSporeSharpness(image, factor_)
                                                      : kernels::AdjustSharpness(image, factor_);
  });
}

Result<std::shared_ptr<Posterize>> Posterize::Make(int bits) {
  if (bits < 0 || bits > 8) {
    return Status::InvalidArgument("Posterize: bits must be in [0, 8], got " + std::to_string(bits));
  }
  return std::make_shared<Posterize>(bits);
}

Status Posterize::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                     [&](const Tensor& image) { return kernels::Posterize(image, bits_); });
}

Result<std::shared_ptr<Solarize>> Solarize::Make(double threshold_min, double threshold_max) {
  if (!(threshold_min >= 0.0 && threshold_min <= threshold_max && threshold_max <= 255.0)) {
    return Status::InvalidArgument(
        "Solarize: threshold must be (min, max) with 0 <= min <= max <= 255, got (" +
        std::to_string(threshold_min) + ", " + std::to_string(threshold_max) + ")");
  }
  // As MindSpore: equal ends are one threshold, above which everything is inverted.
  const double high = threshold_min == threshold_max ? 255.0 : threshold_max;
  return std::make_shared<Solarize>(threshold_min, high);
}

Status Solarize::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                     [&](const Tensor& image) { return kernels::Solarize(image, low_, high_); });
}

Result<std::shared_ptr<AutoContrast>> AutoContrast::Make(double cutoff, std::vector<int> ignore,
                                                        ColorArithmetic arithmetic) {
  RETURN_IF_ERROR(kernels::CheckAutoContrastArguments(cutoff, ignore));
  return std::make_shared<AutoContrast>(cutoff, std::move(ignore), arithmetic);
}

Status AutoContrast::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return arithmetic_ == ColorArithmetic::kMindSpore ? kernels::MindSporeAutoContrast(image, cutoff_, ignore_)
                                                      : kernels::AutoContrast(image, cutoff_, ignore_);
  });
}

Status Equalize::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return arithmetic_ == ColorArithmetic::kMindSpore ? kernels::EqualizeHistogram(image) : kernels::Equalize(image);
  });
}

Status Invert::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                     [](const Tensor& image) { return kernels::Invert(image); });
}

}  // namespace headrace::transforms
