#include "headrace/transforms/vision/random_color.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "headrace/transforms/vision/color_space.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

using Parameters = RandomImageTransform::Parameters;

Status Invalid(std::string_view transform, std::string_view argument, const std::string& rule,
               const std::string& got) {
  return Status::InvalidArgument(std::string(transform) + ": " + std::string(argument) + " must be " + rule +
                                 ", got " + got);
}

std::string Number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

Status CheckProbability(std::string_view transform, double prob) {
  if (prob >= 0.0 && prob <= 1.0) return Status::OK();
  return Invalid(transform, "prob", "in [0, 1]", Number(prob));
}

Status CheckRange(std::string_view transform, std::string_view argument, double low, double high, double min,
                  double max) {
  if (std::isfinite(low) && std::isfinite(high) && low >= min && high <= max && low <= high) return Status::OK();
  const std::string bounds = std::isinf(max) ? " >= " + Number(min) : " in [" + Number(min) + ", " + Number(max) + "]";
  return Invalid(transform, argument, "(min, max) with min <= max, both" + bounds,
                 "(" + Number(low) + ", " + Number(high) + ")");
}

// uint8 images of 1 or 3 channels: what the histogram and bit kernels take.
std::function<Status(const Tensor&)> ToneImages(std::string name) {
  return [name](const Tensor& image) {
    return CheckImage(name, image, {DataType::kUInt8}, {1, 3}).status();
  };
}

// uint8 (H, W, 3) images (RandomLighting).
std::function<Status(const Tensor&)> ColourImages(std::string name) {
  return [name](const Tensor& image) { return CheckImage(name, image, {DataType::kUInt8}, {3}).status(); };
}

// uint8 or float32 images of `channels` (any count when empty).
std::function<Status(const Tensor&)> ValueImages(std::string name, std::vector<int64_t> channels) {
  return [name, channels](const Tensor& image) -> Status {
    ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name, image, {DataType::kUInt8, DataType::kFloat32}));
    if (channels.empty() || std::find(channels.begin(), channels.end(), layout.channels) != channels.end()) {
      return Status::OK();
    }
    // The same message CheckImage gives, for the channel counts this transform takes.
    return channels.size() == 1
               ? CheckImage(name, image, {DataType::kUInt8, DataType::kFloat32}, {3}).status()
               : CheckImage(name, image, {DataType::kUInt8, DataType::kFloat32}, {1, 3}).status();
  };
}

std::function<Status(const Tensor&)> AnyImages(std::string name) { return ValueImages(std::move(name), {}); }

// 255 - v on the float32 values of `image` inside [low, high] (all of them by default).
Result<TensorPtr> InvertFloats(const Tensor& image, double low = -INFINITY, double high = INFINITY) {
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const float* in = image.data_as<float>();
  auto* out = reinterpret_cast<float*>(output->mutable_data());
  for (int64_t i = 0; i < image.num_elements(); ++i) {
    out[i] = in[i] >= low && in[i] <= high ? 255.0f - in[i] : in[i];
  }
  return output;
}

// With probability `prob`: the parameters `when_applied`; otherwise none.
std::function<Parameters(Random*)> WithProbability(double prob, Parameters when_applied) {
  return [prob, when_applied](Random* random) { return random->Bernoulli(prob) ? when_applied : Parameters{}; };
}

// A normal draw (Box-Muller on two uniforms; 1 - u keeps the logarithm finite).
double Normal(Random* random, double stddev) {
  const double u = 1.0 - random->Uniform();
  const double v = random->Uniform();
  constexpr double kTwoPi = 6.283185307179586;
  return stddev * std::sqrt(-2.0 * std::log(u)) * std::cos(kTwoPi * v);
}

Result<RandomImageTransformPtr> Build(RandomImageTransform::Spec spec) {
  return std::make_shared<RandomImageTransform>(std::move(spec));
}

}  // namespace

Parameters RandomImageTransform::Draw(uint64_t seed) const {
  Random random(seed);
  return spec_.draw(&random);
}

Result<TensorPtr> RandomImageTransform::Apply(const TensorPtr& image, const Parameters& parameters) const {
  RETURN_IF_ERROR(spec_.check(*image));
  if (parameters.empty()) return image;
  return spec_.apply(*image, parameters);
}

Status RandomImageTransform::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(columns->front(), Apply(image, Draw(seed)));
  return Status::OK();
}

Result<RandomImageTransformPtr> MakeRandomAdjustSharpness(double degree, double prob) {
  constexpr const char* kName = "RandomAdjustSharpness";
  if (!(degree >= 0.0) || !std::isfinite(degree)) {
    return Invalid(kName, "degree", "a non-negative number", Number(degree));
  }
  RETURN_IF_ERROR(CheckProbability(kName, prob));
  return Build({kName, AnyImages(kName), WithProbability(prob, {degree}),
                [](const Tensor& image, const Parameters& p) { return kernels::MindSporeSharpness(image, p[0]); }});
}

Result<RandomImageTransformPtr> MakeRandomAutoContrast(double cutoff, std::vector<int> ignore, double prob) {
  constexpr const char* kName = "RandomAutoContrast";
  if (!(cutoff >= 0.0 && cutoff < 50.0)) return Invalid(kName, "cutoff", "in [0, 50)", Number(cutoff));
  for (int v : ignore) {
    if (v < 0 || v > 255) return Invalid(kName, "ignore", "values in [0, 255]", std::to_string(v));
  }
  RETURN_IF_ERROR(CheckProbability(kName, prob));
  return Build({kName, ToneImages(kName), WithProbability(prob, {cutoff}),
                [ignore](const Tensor& image, const Parameters& p) {
                  return kernels::MindSporeAutoContrast(image, p[0], ignore);
                }});
}

Result<RandomImageTransformPtr> MakeRandomColor(double low, double high) {
  constexpr const char* kName = "RandomColor";
  RETURN_IF_ERROR(CheckRange(kName, "degrees", low, high, 0.0, INFINITY));
  // MindSpore returns the image itself for a degree within half a level (1/512) of 1.
  constexpr double kIdentity = 0.00195;
  return Build({kName, ValueImages(kName, {3}),
                [low, high](Random* random) {
                  const double t = static_cast<float>(random->Uniform(low, high));  // MindSpore draws floats
                  return std::abs(t - 1.0) < kIdentity ? Parameters{} : Parameters{t};
                },
                [](const Tensor& image, const Parameters& p) { return kernels::BlendWithGrey(image, p[0]); }});
}

Result<RandomImageTransformPtr> MakeRandomEqualize(double prob) {
  constexpr const char* kName = "RandomEqualize";
  RETURN_IF_ERROR(CheckProbability(kName, prob));
  return Build({kName, ToneImages(kName), WithProbability(prob, {1.0}),
                [](const Tensor& image, const Parameters&) { return kernels::EqualizeHistogram(image); }});
}

Result<RandomImageTransformPtr> MakeRandomGrayscale(double prob) {
  constexpr const char* kName = "RandomGrayscale";
  RETURN_IF_ERROR(CheckProbability(kName, prob));
  // As MindSpore's (Pillow's "L" conversion): a colour image keeps its three channels, each
  // the grey level; a grey image is already grey and stays as it is.
  return Build({kName, ToneImages(kName),
                [prob](Random* random) { return random->Bernoulli(prob) ? Parameters{3.0} : Parameters{}; },
                [](const Tensor& image, const Parameters& p) -> Result<TensorPtr> {
                  if (image.rank() == 2 || image.shape()[2] == 1) {
                    ASSIGN_OR_RETURN(TensorPtr copy, Tensor::Create(image.dtype(), image.shape()));
                    std::memcpy(copy->mutable_data(), image.data(), static_cast<size_t>(image.num_elements()));
                    return copy;
                  }
                  return kernels::Grayscale(image, static_cast<int>(p[0]));
                }});
}

Result<RandomImageTransformPtr> MakeRandomInvert(double prob) {
  constexpr const char* kName = "RandomInvert";
  RETURN_IF_ERROR(CheckProbability(kName, prob));
  return Build({kName, ValueImages(kName, {3}), WithProbability(prob, {1.0}),
                [](const Tensor& image, const Parameters&) {
                  return image.dtype() == DataType::kFloat32 ? InvertFloats(image) : kernels::Invert(image);
                }});
}

Result<RandomImageTransformPtr> MakeRandomLighting(double alpha) {
  constexpr const char* kName = "RandomLighting";
  if (!(alpha >= 0.0) || !std::isfinite(alpha)) return Invalid(kName, "alpha", "a non-negative number", Number(alpha));
  return Build({kName, ColourImages(kName),
                [alpha](Random* random) {
                  // MindSpore draws the three weights as floats.
                  Parameters weights(3);
                  for (double& w : weights) w = static_cast<float>(Normal(random, alpha));
                  return weights;
                },
                [](const Tensor& image, const Parameters& p) {
                  return kernels::Lighting(image, static_cast<float>(p[0]), static_cast<float>(p[1]),
                                           static_cast<float>(p[2]));
                }});
}

Result<RandomImageTransformPtr> MakeRandomPosterize(int low, int high) {
  constexpr const char* kName = "RandomPosterize";
  RETURN_IF_ERROR(CheckRange(kName, "bits", low, high, 1, 8));
  return Build({kName, ToneImages(kName),
                [low, high](Random* random) { return Parameters{static_cast<double>(random->UniformInt(low, high))}; },
                [](const Tensor& image, const Parameters& p) {
                  return kernels::Posterize(image, static_cast<int>(p[0]));
                }});
}

Result<RandomImageTransformPtr> MakeRandomSharpness(double low, double high) {
  constexpr const char* kName = "RandomSharpness";
  RETURN_IF_ERROR(CheckRange(kName, "degrees", low, high, 0.0, INFINITY));
  return Build({kName, AnyImages(kName),
                [low, high](Random* random) {
                  return Parameters{static_cast<float>(random->Uniform(low, high))};  // MindSpore draws floats
                },
                [](const Tensor& image, const Parameters& p) { return kernels::MindSporeSharpness(image, p[0]); }});
}

Result<RandomImageTransformPtr> MakeRandomSolarize(int low, int high) {
  constexpr const char* kName = "RandomSolarize";
  RETURN_IF_ERROR(CheckRange(kName, "threshold", low, high, 0, 255));
  return Build({kName, ValueImages(kName, {1, 3}),
                [low, high](Random* random) {
                  const auto a = static_cast<double>(random->UniformInt(low, high));
                  const auto b = static_cast<double>(random->UniformInt(low, high));
                  return Parameters{std::min(a, b), std::max(a, b)};
                },
                [](const Tensor& image, const Parameters& p) {
                  // Equal thresholds are one threshold: every value at or above it inverts.
                  if (image.dtype() == DataType::kFloat32) {
                    return InvertFloats(image, p[0], p[0] == p[1] ? INFINITY : p[1]);
                  }
                  return kernels::Solarize(image, p[0], p[0] == p[1] ? 255.0 : p[1]);
                }});
}

namespace kernels {

Result<TensorPtr> BlendWithGrey(const Tensor& image, double degree) {
  RETURN_IF_ERROR(CheckImage("RandomColor", image, {DataType::kUInt8, DataType::kFloat32}, {3}).status());
  ColorConversion to_grey{3, 1, false, false};
  ASSIGN_OR_RETURN(TensorPtr grey, ConvertColor(image, to_grey));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  // cv::addWeighted's arithmetic: float weights; uint8 rounded to nearest even, saturated.
  // MindSpore's degree is a float, and 1 - degree is taken in float.
  const auto alpha = static_cast<float>(degree);
  const float beta = 1.0f - alpha;
  const int64_t pixels = grey->num_elements();
  if (image.dtype() == DataType::kFloat32) {
    const float* in = image.data_as<float>();
    const float* g = grey->data_as<float>();
    auto* out = reinterpret_cast<float*>(output->mutable_data());
    for (int64_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < 3; ++c) out[3 * i + c] = FusedMultiplyAdd(in[3 * i + c], alpha, g[i] * beta);
    }
    return output;
  }
  const uint8_t* in = image.data_as<uint8_t>();
  const uint8_t* g = grey->data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  for (int64_t i = 0; i < pixels; ++i) {
    const float grey_part = static_cast<float>(g[i]) * beta;
    for (int c = 0; c < 3; ++c) {
      // cv::addWeighted's arithmetic as MindSpore's build runs it (measured against it on
      // blends that land near halves): fma(pixel, alpha, grey * beta), then rounded.
      out[3 * i + c] = RoundToUint8(FusedMultiplyAdd(static_cast<float>(in[3 * i + c]), alpha, grey_part));
    }
  }
  return output;
}

Result<TensorPtr> Lighting(const Tensor& image, float weight_r, float weight_g, float weight_b) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("RandomLighting", image, {DataType::kUInt8}, {3}));
  // ImageNet's RGB eigenvectors (columns) times their eigenvalues, stored as float.
  const float eig[3][3] = {{static_cast<float>(55.46 * -0.5675), static_cast<float>(4.794 * 0.7192),
                            static_cast<float>(1.148 * 0.4009)},
                           {static_cast<float>(55.46 * -0.5808), static_cast<float>(4.794 * -0.0045),
                            static_cast<float>(1.148 * -0.8140)},
                           {static_cast<float>(55.46 * -0.5836), static_cast<float>(4.794 * -0.6948),
                            static_cast<float>(1.148 * 0.4203)}};
  float offset[3];
  for (int c = 0; c < 3; ++c) offset[c] = eig[c][0] * weight_r + eig[c][1] * weight_g + eig[c][2] * weight_b;
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const uint8_t* in = image.data_as<uint8_t>();
  uint8_t* out = output->mutable_data();
  const int64_t count = layout.pixels() * 3;
  for (int64_t i = 0; i < count; ++i) {
    out[i] = RoundToUint8(static_cast<float>(in[i]) + offset[i % 3]);  // OpenCV's saturate_cast
  }
  return output;
}

}  // namespace kernels

}  // namespace headrace::transforms
