#include "headrace/transforms/vision/gaussian_blur.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace kernels {

namespace {

// The reflect-101 source index of `i` on an axis of `n` values (OpenCV's borderInterpolate).
int64_t Reflect101(int64_t i, int64_t n) {
  if (n == 1) return 0;
  const int64_t period = 2 * n - 2;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

// Source indices of every output position and tap: index[x * size + k] is the value that
// tap k of output x reads.
std::vector<int64_t> Taps(int64_t n, int size) {
  std::vector<int64_t> index(static_cast<size_t>(n * size));
  const int half = size / 2;
  for (int64_t x = 0; x < n; ++x) {
    for (int k = 0; k < size; ++k) index[x * size + k] = Reflect101(x + k - half, n);
  }
  return index;
}

// Separable filtering: horizontal taps into an Acc row buffer per image row, then the
// vertical taps; `finish` turns a vertical sum into the output value.
template <typename In, typename Out, typename Acc, typename Weight, typename Finish>
void Separable(const In* in, Out* out, int64_t height, int64_t width, int64_t channels,
               const std::vector<Weight>& kx, const std::vector<Weight>& ky, Finish finish) {
  const int sx = static_cast<int>(kx.size()), sy = static_cast<int>(ky.size());
  const std::vector<int64_t> cols = Taps(width, sx);
  const std::vector<int64_t> rows = Taps(height, sy);
  const int64_t row_values = width * channels;
  // Every source row filtered horizontally once (rows are read by up to sy outputs).
  std::vector<Acc> horizontal(static_cast<size_t>(height * row_values));
  for (int64_t y = 0; y < height; ++y) {
    const In* src = in + y * row_values;
    Acc* dst = horizontal.data() + y * row_values;
    // Inside the border the taps are consecutive pixels: tap k of value i is value
    // i + (k - half) * channels, a loop over values the compiler vectorises.
    const int half = sx / 2;
    const int64_t inner_begin = std::min<int64_t>(half, width);
    const int64_t inner_end = std::max<int64_t>(width - half, inner_begin);
    for (int64_t i = inner_begin * channels; i < inner_end * channels; ++i) dst[i] = 0;
    for (int k = 0; k < sx; ++k) {
      const Acc weight = kx[k];
      const In* tap = src + (k - half) * channels;
      for (int64_t i = inner_begin * channels; i < inner_end * channels; ++i) {
        dst[i] += static_cast<Acc>(tap[i]) * weight;
      }
    }
    const auto border = [&](int64_t x) {
      for (int64_t c = 0; c < channels; ++c) {
        Acc sum = 0;
        for (int k = 0; k < sx; ++k) sum += static_cast<Acc>(src[cols[x * sx + k] * channels + c]) * kx[k];
        dst[x * channels + c] = sum;
      }
    };
    for (int64_t x = 0; x < inner_begin; ++x) border(x);
    for (int64_t x = inner_end; x < width; ++x) border(x);
  }
  std::vector<Acc> column(static_cast<size_t>(row_values));
  for (int64_t y = 0; y < height; ++y) {
    std::fill(column.begin(), column.end(), Acc{0});
    for (int k = 0; k < sy; ++k) {
      const Acc* src = horizontal.data() + rows[y * sy + k] * row_values;
      const Acc weight = ky[k];
      for (int64_t i = 0; i < row_values; ++i) column[i] += src[i] * weight;
    }
    Out* dst = out + y * row_values;
    for (int64_t i = 0; i < row_values; ++i) dst[i] = finish(column[i]);
  }
}

}  // namespace

std::vector<double> GaussianKernel(int size, double sigma) {
  if (sigma <= 0.0) {  // OpenCV's fixed small kernels
    switch (size) {
      case 1: return {1.0};
      case 3: return {0.25, 0.5, 0.25};
      case 5: return {0.0625, 0.25, 0.375, 0.25, 0.0625};
      case 7: return {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
      default: break;
    }
  }
  const double s = sigma > 0.0 ? sigma : size * 0.15 + 0.35;
  const double scale = -0.125 / (s * s);  // x below runs over twice the distance to the centre
  const int half = (size - 1) / 2;
  std::vector<double> kernel(static_cast<size_t>(size));
  double sum = 1.0;  // the centre's exp(0)
  for (int i = 0, x = 1 - size; i < half; ++i, x += 2) {
    kernel[i] = std::exp(static_cast<double>(x * x) * scale);
    sum += 2.0 * kernel[i];
  }
  kernel[half] = 1.0;
  for (int i = 0; i <= half; ++i) {
    kernel[i] /= sum;
    kernel[size - 1 - i] = kernel[i];
  }
  return kernel;
}

std::vector<uint32_t> FixedPointKernel(const std::vector<double>& kernel, int fraction_bits) {
  const int size = static_cast<int>(kernel.size());
  const double one = static_cast<double>(int64_t{1} << fraction_bits);
  std::vector<uint32_t> fixed(kernel.size());
  // Rounds from the ends inwards, carrying each rounding error to the next tap; the centre
  // takes what is left, so the taps sum to exactly one.
  double error = 0.0;
  int64_t sum = 0;
  for (int i = 0; i < size / 2; ++i) {
    const double adjusted = kernel[i] * one + error;
    const auto value = static_cast<int64_t>(std::nearbyint(adjusted));
    error = adjusted - static_cast<double>(value);
    fixed[i] = fixed[size - 1 - i] = static_cast<uint32_t>(value);
    sum += 2 * value;
  }
  fixed[size / 2] = static_cast<uint32_t>(static_cast<int64_t>(one) - sum);
  return fixed;
}

Result<TensorPtr> GaussianBlur(const Tensor& image, int kernel_x, int kernel_y, double sigma_x, double sigma_y) {
  ASSIGN_OR_RETURN(ImageLayout layout,
                   CheckImage("GaussianBlur", image, {DataType::kUInt8, DataType::kFloat32}));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const std::vector<double> kx = GaussianKernel(kernel_x, sigma_x);
  const std::vector<double> ky = GaussianKernel(kernel_y, sigma_y);
  if (image.dtype() == DataType::kUInt8) {
    constexpr int kBits = 8;
    const std::vector<uint32_t> fx = FixedPointKernel(kx, kBits), fy = FixedPointKernel(ky, kBits);
    Separable<uint8_t, uint8_t, uint32_t>(image.data_as<uint8_t>(), output->mutable_data(), layout.height,
                                          layout.width, layout.channels, fx, fy, [](uint32_t v) {
                                            const uint32_t rounded = (v + (1u << (2 * kBits - 1))) >> (2 * kBits);
                                            return static_cast<uint8_t>(rounded > 255 ? 255 : rounded);
                                          });
  } else {
    Separable<float, float, double>(image.data_as<float>(), reinterpret_cast<float*>(output->mutable_data()),
                                    layout.height, layout.width, layout.channels, kx, ky,
                                    [](double v) { return static_cast<float>(v); });
  }
  return output;
}

}  // namespace kernels

Result<std::shared_ptr<GaussianBlur>> GaussianBlur::Make(int kernel_x, int kernel_y, double sigma_x, double sigma_y) {
  for (int size : {kernel_x, kernel_y}) {
    if (size <= 0 || size % 2 == 0) {
      return Status::InvalidArgument("GaussianBlur: kernel_size must be positive and odd, got " +
                                     std::to_string(size));
    }
  }
  if (!std::isfinite(sigma_x) || !std::isfinite(sigma_y)) {
    return Status::InvalidArgument("GaussianBlur: sigma must be finite");
  }
  // MindSpore keeps sigmas in float: the default, and what the user gave, rounded to float.
  const auto resolve = [](double sigma, int size) {
    return static_cast<double>(sigma <= 0.0 ? static_cast<float>(size * 0.15 + 0.35) : static_cast<float>(sigma));
  };
  const double x = resolve(sigma_x, kernel_x);
  const double y = sigma_y < 0.0 ? x : resolve(sigma_y, kernel_y);
  return std::make_shared<GaussianBlur>(kernel_x, kernel_y, x, y);
}

Status GaussianBlur::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) {
    return kernels::GaussianBlur(image, kernel_x_, kernel_y_, sigma_x_, sigma_y_);
  });
}

}  // namespace headrace::transforms
