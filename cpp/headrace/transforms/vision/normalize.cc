#include "headrace/transforms/vision/normalize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "headrace/core/cast.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

// (value - mean[c]) * scale[c] over `count` interleaved values of `channels` channels.
// Subtracting first and then multiplying by 1/std costs the same as value * scale + offset
// but keeps the relative error at float precision near zero, where value * scale and
// mean * scale would cancel. The per-channel constants are unrolled into a pattern of 32
// whole pixels, so the inner loop is element-wise, vectorises, and has a trip count the
// vector width divides (measured: 18 us for 224x224x3 uint8, 29 us with 8 pixels).
template <typename T>
void NormalizeInterleaved(const T* __restrict in, float* __restrict out, int64_t count,
                          const float* mean, const float* scale, int64_t channels) {
  if (channels == 1) {
    const float m = mean[0];
    const float s = scale[0];
    for (int64_t i = 0; i < count; ++i) out[i] = (static_cast<float>(in[i]) - m) * s;
    return;
  }
  const int64_t period = channels <= 4 ? channels * 32 : channels;
  std::vector<float> pattern(2 * period);
  float* __restrict m = pattern.data();
  float* __restrict s = pattern.data() + period;
  for (int64_t j = 0; j < period; ++j) {
    m[j] = mean[j % channels];
    s[j] = scale[j % channels];
  }
  int64_t base = 0;
  for (; base + period <= count; base += period) {
    const T* __restrict src = in + base;
    float* __restrict dst = out + base;
    for (int64_t j = 0; j < period; ++j) dst[j] = (static_cast<float>(src[j]) - m[j]) * s[j];
  }
  for (int64_t j = 0; base + j < count; ++j) {
    out[base + j] = (static_cast<float>(in[base + j]) - m[j]) * s[j];
  }
}

template <typename T>
void RescaleAll(const T* __restrict in, float* __restrict out, int64_t count, float rescale,
                float shift) {
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<float>(in[i]) * rescale + shift;
}

// Copies pixel-interleaved values into one plane per channel. T only carries the element
// size: the values are copied bit for bit.
template <typename T>
void Deinterleave(const T* __restrict in, T* __restrict out, int64_t pixels, int64_t channels) {
  if (channels == 3) {  // RGB: one pass writing three planes
    T* __restrict r = out;
    T* __restrict g = out + pixels;
    T* __restrict b = out + 2 * pixels;
    int64_t i = 0;
#if defined(__SSE2__)
    if constexpr (sizeof(T) == 4) {
      // Four pixels (three vectors) per step, sorted into planes by eight shuffles: twice
      // as fast as GCC's vectorisation of the loop below (46 -> ~20 us for 224x224x3).
      const auto* src = reinterpret_cast<const float*>(in);
      for (; i + 4 <= pixels; i += 4) {
        const __m128 a = _mm_loadu_ps(src + 3 * i);      // r0 g0 b0 r1
        const __m128 m = _mm_loadu_ps(src + 3 * i + 4);  // g1 b1 r2 g2
        const __m128 c = _mm_loadu_ps(src + 3 * i + 8);  // b2 r3 g3 b3
        const __m128 r23 = _mm_shuffle_ps(m, c, _MM_SHUFFLE(1, 1, 2, 2));   // r2 r2 r3 r3
        const __m128 g01 = _mm_shuffle_ps(a, m, _MM_SHUFFLE(0, 0, 1, 1));   // g0 g0 g1 g1
        const __m128 g23 = _mm_shuffle_ps(m, c, _MM_SHUFFLE(2, 2, 3, 3));   // g2 g2 g3 g3
        const __m128 b01 = _mm_shuffle_ps(a, m, _MM_SHUFFLE(1, 1, 2, 2));   // b0 b0 b1 b1
        const __m128 b23 = _mm_shuffle_ps(c, c, _MM_SHUFFLE(3, 3, 0, 0));   // b2 b2 b3 b3
        _mm_storeu_ps(reinterpret_cast<float*>(r + i), _mm_shuffle_ps(a, r23, _MM_SHUFFLE(2, 0, 3, 0)));
        _mm_storeu_ps(reinterpret_cast<float*>(g + i), _mm_shuffle_ps(g01, g23, _MM_SHUFFLE(2, 0, 2, 0)));
        _mm_storeu_ps(reinterpret_cast<float*>(b + i), _mm_shuffle_ps(b01, b23, _MM_SHUFFLE(2, 0, 2, 0)));
      }
    }
#endif
    for (; i < pixels; ++i) {
      r[i] = in[3 * i];
      g[i] = in[3 * i + 1];
      b[i] = in[3 * i + 2];
    }
    return;
  }
  for (int64_t c = 0; c < channels; ++c) {
    T* __restrict plane = out + c * pixels;
    for (int64_t i = 0; i < pixels; ++i) plane[i] = in[i * channels + c];
  }
}

}  // namespace

Result<std::shared_ptr<Normalize>> Normalize::Make(std::vector<float> mean, std::vector<float> std,
                                                   bool is_hwc) {
  if (mean.empty() || std.empty()) {
    return Status::InvalidArgument("Normalize: mean and std must not be empty");
  }
  if (mean.size() != std.size()) {
    return Status::InvalidArgument("Normalize: mean and std must have the same length, got " +
                                   std::to_string(mean.size()) + " and " +
                                   std::to_string(std.size()));
  }
  for (float s : std) {
    if (!(s > 0.0f) || !std::isfinite(s)) {
      return Status::InvalidArgument("Normalize: std values must be positive, got " +
                                     std::to_string(s));
    }
  }
  return std::make_shared<Normalize>(std::move(mean), std::move(std), is_hwc);
}

Result<TensorPtr> Normalize::Apply(const Tensor& image, const std::vector<float>& mean,
                                   const std::vector<float>& std, bool is_hwc) {
  ASSIGN_OR_RETURN(ImageLayout layout,
                   CheckImage("Normalize", image, {DataType::kUInt8, DataType::kFloat32}));
  const int64_t channels = image.rank() == 2 ? 1 : is_hwc ? layout.channels : image.shape()[0];
  if (mean.size() != std.size() || mean.empty() ||
      (mean.size() != 1 && static_cast<int64_t>(mean.size()) != channels)) {
    return Status::InvalidArgument(
        "Normalize: mean and std have " + std::to_string(mean.size()) + " values but the image of shape " +
        ShapeToString(image.shape()) + " has " + std::to_string(channels) + " channels" +
        (is_hwc ? "" : " (is_hwc=False: channels first)"));
  }
  std::vector<float> m(channels), s(channels);
  for (int64_t c = 0; c < channels; ++c) {
    const size_t k = mean.size() == 1 ? 0 : static_cast<size_t>(c);
    m[c] = mean[k];
    s[c] = static_cast<float>(1.0 / static_cast<double>(std[k]));
  }
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(DataType::kFloat32, image.shape()));
  auto* out = reinterpret_cast<float*>(output->mutable_data());
  const int64_t count = image.num_elements();
  // Channels first: each plane is one run of a single channel.
  const int64_t runs = is_hwc ? 1 : channels;
  const int64_t run = count / runs;
  for (int64_t r = 0; r < runs; ++r) {
    const int64_t interleaved = is_hwc ? channels : 1;
    if (image.dtype() == DataType::kUInt8) {
      NormalizeInterleaved(image.data_as<uint8_t>() + r * run, out + r * run, run, &m[r], &s[r],
                           interleaved);
    } else {
      NormalizeInterleaved(image.data_as<float>() + r * run, out + r * run, run, &m[r], &s[r],
                           interleaved);
    }
  }
  return output;
}

Status Normalize::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(columns->front(), Apply(*image, mean_, std_, is_hwc_));
  return Status::OK();
}

Result<std::shared_ptr<NormalizePad>> NormalizePad::Make(std::vector<float> mean, std::vector<float> std,
                                                         DataType dtype, bool is_hwc) {
  if (mean.size() != 3 || std.size() != 3) {
    return Status::InvalidArgument("NormalizePad: mean and std must have 3 values, got " +
                                   std::to_string(mean.size()) + " and " + std::to_string(std.size()));
  }
  if (dtype != DataType::kFloat32 && dtype != DataType::kFloat16) {
    return Status::InvalidArgument("NormalizePad: dtype must be float32 or float16, got " +
                                   std::string(DataTypeName(dtype)));
  }
  for (float s : std) {
    if (!(s > 0.0f) || !std::isfinite(s)) {
      return Status::InvalidArgument("NormalizePad: std values must be positive, got " + std::to_string(s));
    }
  }
  return std::make_shared<NormalizePad>(std::move(mean), std::move(std), dtype, is_hwc);
}

Result<TensorPtr> NormalizePad::Apply(const Tensor& image, const std::vector<float>& mean,
                                      const std::vector<float>& std, DataType dtype, bool is_hwc) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("NormalizePad", image, {DataType::kUInt8, DataType::kFloat32}));
  const int64_t channels = is_hwc ? layout.channels : image.shape()[0];
  if (image.rank() != 3 || channels != 3) {
    return Status::InvalidArgument("NormalizePad: expected a 3-channel image of shape " +
                                   std::string(is_hwc ? "(H, W, 3)" : "(3, H, W) (is_hwc=False)") + ", got " +
                                   std::string(DataTypeName(image.dtype())) + " of shape " +
                                   ShapeToString(image.shape()));
  }
  ASSIGN_OR_RETURN(TensorPtr normalized, Normalize::Apply(image, mean, std, is_hwc));
  Shape shape = image.shape();
  shape[is_hwc ? 2 : 0] = 4;
  ASSIGN_OR_RETURN(TensorPtr padded, Tensor::Create(DataType::kFloat32, shape));
  const float* in = normalized->data_as<float>();
  auto* out = reinterpret_cast<float*>(padded->mutable_data());
  const int64_t count = normalized->num_elements();
  if (is_hwc) {
    for (int64_t i = 0, o = 0; i < count; i += 3, o += 4) {
      out[o] = in[i];
      out[o + 1] = in[i + 1];
      out[o + 2] = in[i + 2];
      out[o + 3] = 0.0f;
    }
  } else {  // channels first: the three planes, then a plane of zeros
    std::memcpy(out, in, static_cast<size_t>(count) * sizeof(float));
    std::fill(out + count, out + count + count / 3, 0.0f);
  }
  if (dtype == DataType::kFloat32) return padded;
  return CastTensor(padded, dtype);
}

Status NormalizePad::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(columns->front(), Apply(*image, mean_, std_, dtype_, is_hwc_));
  return Status::OK();
}

Result<TensorPtr> Rescale::Apply(const Tensor& image, float rescale, float shift) {
  RETURN_IF_ERROR(CheckImage("Rescale", image, {DataType::kUInt8, DataType::kFloat32}).status());
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(DataType::kFloat32, image.shape()));
  auto* out = reinterpret_cast<float*>(output->mutable_data());
  if (image.dtype() == DataType::kUInt8) {
    RescaleAll(image.data_as<uint8_t>(), out, image.num_elements(), rescale, shift);
  } else {
    RescaleAll(image.data_as<float>(), out, image.num_elements(), rescale, shift);
  }
  return output;
}

Status Rescale::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(columns->front(), Apply(*image, rescale_, shift_));
  return Status::OK();
}

Result<TensorPtr> HWC2CHW::Apply(const Tensor& image) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("HWC2CHW", image));
  ASSIGN_OR_RETURN(TensorPtr output,
                   Tensor::Create(image.dtype(), Shape{layout.channels, layout.height, layout.width}));
  const int64_t pixels = layout.pixels();
  if (layout.channels == 1) {  // the same bytes under a new shape
    std::memcpy(output->mutable_data(), image.data(),
                static_cast<size_t>(image.num_elements() * ElementSize(image.dtype())));
    return output;
  }
  const uint8_t* in = image.data();
  uint8_t* out = output->mutable_data();
  const int64_t channels = layout.channels;
  switch (ElementSize(image.dtype())) {
    case 1:
      Deinterleave(in, out, pixels, channels);
      break;
    case 2:
      Deinterleave(reinterpret_cast<const uint16_t*>(in), reinterpret_cast<uint16_t*>(out), pixels, channels);
      break;
    case 4:
      Deinterleave(reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out), pixels, channels);
      break;
    default:
      Deinterleave(reinterpret_cast<const uint64_t*>(in), reinterpret_cast<uint64_t*>(out), pixels, channels);
      break;
  }
  return output;
}

Status HWC2CHW::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("HWC2CHW", *image));
  if (!layout.has_channel_axis) return Status::OK();  // an (H, W) image stays as it is, as in MindSpore
  ASSIGN_OR_RETURN(columns->front(), Apply(*image));
  return Status::OK();
}

}  // namespace headrace::transforms
