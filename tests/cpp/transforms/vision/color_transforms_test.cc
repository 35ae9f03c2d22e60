// MindSpore's colour and value transforms: values worked out by hand from the documented
// formulas (OpenCV's fixed-point grey, equalizeHist, the Gaussian kernels, MindSpore's
// gamma table), layouts, the random transforms' draws, and errors. Random images against
// NumPy references: tests/python/vision/test_color_transforms.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include "headrace/transforms/vision/color_space.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/gaussian_blur.h"
#include "headrace/transforms/vision/normalize.h"
#include "headrace/transforms/vision/random_color.h"
#include "headrace/transforms/vision/value_transforms.h"

namespace headrace::transforms {
namespace {

template <typename T>
TensorPtr Make(DataType dtype, Shape shape, const std::vector<T>& values) {
  TensorPtr tensor = *Tensor::Create(dtype, std::move(shape));
  EXPECT_EQ(tensor->num_elements(), static_cast<int64_t>(values.size()));
  std::memcpy(tensor->mutable_data(), values.data(), values.size() * sizeof(T));
  return tensor;
}

TensorPtr Bytes(Shape shape, const std::vector<uint8_t>& values) {
  return Make(DataType::kUInt8, std::move(shape), values);
}

template <typename T>
std::vector<T> Values(const TensorPtr& tensor) {
  const T* data = tensor->data_as<T>();
  return std::vector<T>(data, data + tensor->num_elements());
}

TEST(ConvertColorTest, GreyIsOpenCvsFifteenBitLuma) {
  // (26*9798 + 183*19235 + 29*3735 + 2^14) >> 15 = 119 (the 14-bit weights give 118).
  TensorPtr rgb = Bytes({1, 2, 3}, {26, 183, 29, 255, 255, 255});
  ColorConversion to_grey = *ParseColorConversion("COLOR_RGB2GRAY");
  TensorPtr grey = *kernels::ConvertColor(*rgb, to_grey);
  EXPECT_EQ(grey->shape(), (Shape{1, 2}));
  EXPECT_EQ(Values<uint8_t>(grey), (std::vector<uint8_t>{119, 255}));
  // The same pixel read as BGR: (29*9798 + 183*19235 + 26*3735 + 2^14) >> 15 = 119 too, so
  // use an asymmetric one: (0*9798 + 0*19235 + 200*3735 + 2^14) >> 15 = 23 as RGB, 60 as BGR.
  TensorPtr blue = Bytes({1, 1, 3}, {0, 0, 200});
  EXPECT_EQ(Values<uint8_t>(*kernels::ConvertColor(*blue, to_grey)), (std::vector<uint8_t>{23}));
  EXPECT_EQ(Values<uint8_t>(*kernels::ConvertColor(*blue, *ParseColorConversion("COLOR_BGR2GRAY"))),
            (std::vector<uint8_t>{60}));
}

TEST(ConvertColorTest, SwapsAddsAndDropsChannels) {
  TensorPtr rgb = Bytes({1, 1, 3}, {1, 2, 3});
  EXPECT_EQ(Values<uint8_t>(*kernels::ConvertColor(*rgb, *ParseColorConversion("COLOR_RGB2BGRA"))),
            (std::vector<uint8_t>{3, 2, 1, 255}));
  TensorPtr rgba = Bytes({1, 1, 4}, {1, 2, 3, 9});
  EXPECT_EQ(Values<uint8_t>(*kernels::ConvertColor(*rgba, *ParseColorConversion("COLOR_RGBA2BGRA"))),
            (std::vector<uint8_t>{3, 2, 1, 9}));
  EXPECT_EQ(Values<uint8_t>(*kernels::ConvertColor(*rgba, *ParseColorConversion("COLOR_RGBA2RGB"))),
            (std::vector<uint8_t>{1, 2, 3}));
  TensorPtr grey = Bytes({1, 2}, {7, 8});
  TensorPtr out = *kernels::ConvertColor(*grey, *ParseColorConversion("COLOR_GRAY2RGBA"));
  EXPECT_EQ(out->shape(), (Shape{1, 2, 4}));
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{7, 7, 7, 255, 8, 8, 8, 255}));
  TensorPtr floats = Make<float>(DataType::kFloat32, {1, 1}, {0.5f});
  EXPECT_EQ(Values<float>(*kernels::ConvertColor(*floats, *ParseColorConversion("COLOR_GRAY2BGRA"))),
            (std::vector<float>{0.5f, 0.5f, 0.5f, 1.0f}));
}

TEST(ConvertColorTest, ErrorsNameTheModeAndTheImage) {
  Result<std::shared_ptr<ConvertColor>> bad = ConvertColor::Make("COLOR_RGB2HSV");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "ConvertColor: convert_mode must be a ConvertMode, got 'COLOR_RGB2HSV'");
  Result<TensorPtr> wrong =
      kernels::ConvertColor(*Bytes({1, 1, 3}, {1, 2, 3}), *ParseColorConversion("COLOR_GRAY2RGB"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("ConvertColor: expected"), std::string::npos);
}

TEST(GrayscaleTest, PillowsLumaInOneOrThreeChannels) {
  // Pillow: (255*19595 + 2^15) >> 16 = 76; (10*19595 + 200*38470 + 60*7471 + 2^15) >> 16 = 127.
  TensorPtr rgb = Bytes({1, 2, 3}, {255, 0, 0, 10, 200, 60});
  EXPECT_EQ(Values<uint8_t>(*kernels::Grayscale(*rgb, 1)), (std::vector<uint8_t>{76, 127}));
  TensorPtr three = *kernels::Grayscale(*rgb, 3);
  EXPECT_EQ(three->shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(Values<uint8_t>(three), (std::vector<uint8_t>{76, 76, 76, 127, 127, 127}));
  EXPECT_FALSE(Grayscale::Make(2).ok());
}

TEST(HsvTest, ColorsysValuesBothLayouts) {
  // colorsys.rgb_to_hsv(255, 0, 0) = (0, 1, 255); (0, 0, 10) = (2/3, 1, 10); grey (0, 0, v).
  TensorPtr hwc = Bytes({1, 3, 3}, {255, 0, 0, 0, 0, 10, 7, 7, 7});
  TensorPtr hsv = *kernels::RgbToHsv(*hwc, true);
  EXPECT_EQ(hsv->dtype(), DataType::kFloat64);
  const std::vector<double> got = Values<double>(hsv);
  const std::vector<double> want = {0, 1, 255, 2.0 / 3.0, 1, 10, 0, 0, 7};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
  TensorPtr chw = Bytes({3, 1, 3}, {255, 0, 7, 0, 0, 7, 0, 10, 7});
  const std::vector<double> planar = Values<double>(*kernels::RgbToHsv(*chw, false));
  const std::vector<double> want_planar = {0, 2.0 / 3.0, 0, 1, 1, 0, 255, 10, 7};
  for (size_t i = 0; i < want_planar.size(); ++i) EXPECT_NEAR(planar[i], want_planar[i], 1e-12) << i;
  const std::vector<double> back = Values<double>(*kernels::HsvToRgb(*hsv, true));
  for (size_t i = 0; i < back.size(); ++i) EXPECT_NEAR(back[i], hwc->data()[i], 1e-9) << i;
  Result<TensorPtr> bad = kernels::RgbToHsv(*hwc, false);  // (1, 3, 3) read as CHW: 1 channel
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("RgbToHsv: expected 3 channels on axis 0"), std::string::npos);
}

TEST(GaussianBlurTest, KernelsAreOpenCvs) {
  EXPECT_EQ(kernels::GaussianKernel(3, 0.0), (std::vector<double>{0.25, 0.5, 0.25}));
  const std::vector<double> k = kernels::GaussianKernel(5, 1.0);
  const double e1 = std::exp(-0.5), e2 = std::exp(-2.0), sum = 1 + 2 * e1 + 2 * e2;
  EXPECT_NEAR(k[0], e2 / sum, 1e-15);
  EXPECT_NEAR(k[1], e1 / sum, 1e-15);
  EXPECT_NEAR(k[2], 1 / sum, 1e-15);
  // 256 * k = {13.95, 62.51, 103.07, ...}: 14 (error -0.05), then 62.51 - 0.05 -> 62, and
  // the centre takes the rest, 256 - 2 * (14 + 62) = 104.
  EXPECT_EQ(kernels::FixedPointKernel(k, 8), (std::vector<uint32_t>{14, 62, 104, 62, 14}));
}

TEST(GaussianBlurTest, FixedPointBlurWithReflectedBorder) {
  // One row, kernel_x 3 with sigma 0 -> {0.25, 0.5, 0.25} = {64, 128, 64} / 256, kernel_y 1.
  // Reflect-101 border: x[-1] = x[1]. Row 0 9 0 0 -> (0+0+0)... worked out:
  //   out[0] = (9*64 + 0*128 + 9*64) / 256 = 4.5 -> rounds half up to 5
  //   out[1] = (0*64 + 9*128 + 0*64) / 256 = 4.5 -> 5
  //   out[2] = (9*64 + 0 + 0) / 256 = 2.25 -> 2;  out[3] = (0 + 0 + 0) = 0
  TensorPtr row = Bytes({1, 4}, {0, 9, 0, 0});
  EXPECT_EQ(Values<uint8_t>(*kernels::GaussianBlur(*row, 3, 1, 0.0, 0.0)), (std::vector<uint8_t>{5, 5, 2, 0}));
  TensorPtr floats = Make<float>(DataType::kFloat32, {1, 4}, {0, 9, 0, 0});
  EXPECT_EQ(Values<float>(*kernels::GaussianBlur(*floats, 3, 1, 0.0, 0.0)),
            (std::vector<float>{4.5f, 4.5f, 2.25f, 0.0f}));
  // MindSpore's default sigma (kernel_x * 0.15 + 0.35) and even sizes.
  EXPECT_FALSE(GaussianBlur::Make(4, 3, 0, -1).ok());
  std::shared_ptr<GaussianBlur> blur = *GaussianBlur::Make(3, 3, 0, -1);
  TensorList columns = {Bytes({3, 3}, {0, 0, 0, 0, 255, 0, 0, 0, 0})};
  ASSERT_TRUE(blur->Compute(&columns, 0).ok());
  EXPECT_GT(columns[0]->data()[4], columns[0]->data()[1]);
}

TEST(AdjustGammaTest, MindSporesTableAndFloatPower) {
  // floor(min((i / 255)^g * (256 - 1e-3) * gain, 255)): i = 255 -> 255, i = 0 -> 0, and for
  // g = 0.5, i = 64: sqrt(64 / 255) * 255.999 = 128.25 -> 128.
  TensorPtr image = Bytes({1, 3}, {0, 64, 255});
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustGamma(*image, 0.5, 1.0)), (std::vector<uint8_t>{0, 128, 255}));
  TensorPtr floats = Make<float>(DataType::kFloat32, {1, 3}, {0.25f, 0.5f, 0.9f});
  const std::vector<float> got = Values<float>(*kernels::AdjustGamma(*floats, 2.0, 2.0));
  EXPECT_FLOAT_EQ(got[0], 0.25f);  // (0.25 * 2)^2
  EXPECT_FLOAT_EQ(got[1], 1.0f);
  EXPECT_FLOAT_EQ(got[2], 1.0f);   // 3.24 clipped
  EXPECT_FALSE(AdjustGamma::Make(-1, 1).ok());
  EXPECT_FALSE(kernels::AdjustGamma(*Bytes({1, 1, 4}, {1, 2, 3, 4}), 1, 1).ok());
}

TEST(ToTensorTest, ChannelsFirstOver255) {
  TensorPtr image = Bytes({1, 2, 2}, {0, 51, 255, 102});
  TensorPtr out = *kernels::ToTensor(*image, DataType::kFloat32);
  EXPECT_EQ(out->shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(Values<float>(out), (std::vector<float>{0.0f, 1.0f, 0.2f, 0.4f}));
  EXPECT_EQ(kernels::ToTensor(*Bytes({2, 3}, {1, 2, 3, 4, 5, 6}), DataType::kFloat64).value()->shape(),
            (Shape{1, 2, 3}));
}

TEST(NormalizePadTest, ZeroFourthChannelInBothLayouts) {
  TensorPtr image = Bytes({1, 1, 3}, {10, 20, 30});
  TensorPtr out = *NormalizePad::Apply(*image, {0, 10, 20}, {2, 5, 10}, DataType::kFloat32, true);
  EXPECT_EQ(out->shape(), (Shape{1, 1, 4}));
  EXPECT_EQ(Values<float>(out), (std::vector<float>{5, 2, 1, 0}));
  TensorPtr planar = Bytes({3, 1, 2}, {10, 12, 20, 30, 30, 40});
  TensorPtr chw = *NormalizePad::Apply(*planar, {0, 10, 20}, {2, 5, 10}, DataType::kFloat32, false);
  EXPECT_EQ(chw->shape(), (Shape{4, 1, 2}));
  EXPECT_EQ(Values<float>(chw), (std::vector<float>{5, 6, 2, 4, 1, 2, 0, 0}));
  EXPECT_EQ((*NormalizePad::Apply(*image, {0, 10, 20}, {2, 5, 10}, DataType::kFloat16, true))->dtype(),
            DataType::kFloat16);
  EXPECT_FALSE(NormalizePad::Make({1, 2}, {1, 2}, DataType::kFloat32, true).ok());
  EXPECT_FALSE(NormalizePad::Make({1, 2, 3}, {1, 2, 3}, DataType::kFloat64, true).ok());
}

TEST(LinearTransformationTest, CentredRowTimesMatrix) {
  // x = (1, 2) - (1, 0) = (0, 2); (0, 2) . [[1, 2], [3, 4]] = (6, 8).
  std::shared_ptr<LinearTransformation> op = *LinearTransformation::Make({1, 2, 3, 4}, {1, 0}, false);
  TensorPtr out = *op->Apply(*Bytes({1, 2}, {1, 2}));
  EXPECT_EQ(out->dtype(), DataType::kFloat64);
  EXPECT_EQ(Values<double>(out), (std::vector<double>{6, 8}));
  EXPECT_FALSE(op->Apply(*Bytes({1, 3}, {1, 2, 3})).ok());
  EXPECT_FALSE(LinearTransformation::Make({1, 2, 3}, {1, 0}, false).ok());
}

TEST(EqualizeHistogramTest, OpenCvsCumulativeTable) {
  // Values 10 x2, 20, 30: first present 10 (2 pixels), rest 2; scale 255/2:
  // 10 -> 0, 20 -> round(1 * 127.5) = 128 (to even), 30 -> 255.
  TensorPtr image = Bytes({1, 4}, {10, 20, 10, 30});
  EXPECT_EQ(Values<uint8_t>(*kernels::EqualizeHistogram(*image)), (std::vector<uint8_t>{0, 128, 0, 255}));
  TensorPtr flat = Bytes({1, 3}, {7, 7, 7});
  EXPECT_EQ(Values<uint8_t>(*kernels::EqualizeHistogram(*flat)), (std::vector<uint8_t>{7, 7, 7}));
}

TEST(MindSporeAutoContrastTest, IntegerPercentCutoff) {
  // 100 values 0..99: cutoff 1.9 counts as 1 percent, so one pixel goes at each end:
  // lo = 1, hi = 98, scale 255 / 97.
  std::vector<uint8_t> values(100);
  for (int i = 0; i < 100; ++i) values[i] = static_cast<uint8_t>(i);
  TensorPtr image = Bytes({10, 10}, values);
  const std::vector<uint8_t> out = Values<uint8_t>(*kernels::MindSporeAutoContrast(*image, 1.9, {}));
  const float scale = 255.0f / 97.0f;
  for (int v = 0; v < 100; ++v) {
    const int mapped = std::clamp(static_cast<int>(static_cast<float>(v) * scale + -1.0f * scale), 0, 255);
    EXPECT_EQ(out[v], mapped) << v;
  }
  EXPECT_EQ(out[1], 0);
  EXPECT_GE(out[98], 254);
}

TEST(RandomColorTest, DrawsAreParametersOfTheDeterministicKernels) {
  std::shared_ptr<RandomImageTransform> posterize = *MakeRandomPosterize(3, 5);
  std::set<double> bits;
  for (uint64_t seed = 0; seed < 200; ++seed) bits.insert(posterize->Draw(seed).at(0));
  EXPECT_EQ(bits, (std::set<double>{3, 4, 5}));

  std::shared_ptr<RandomImageTransform> invert = *MakeRandomInvert(0.25);
  int applied = 0;
  TensorPtr image = Bytes({1, 1, 3}, {0, 100, 255});
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    const RandomImageTransform::Parameters p = invert->Draw(seed);
    TensorList columns = {image};
    ASSERT_TRUE(invert->Compute(&columns, seed).ok());
    if (!p.empty()) {
      ++applied;
      EXPECT_EQ(Values<uint8_t>(columns[0]), (std::vector<uint8_t>{255, 155, 0}));
    } else {
      EXPECT_EQ(columns[0], image);  // untouched: the same tensor
    }
  }
  EXPECT_NEAR(applied / 2000.0, 0.25, 0.03);

  std::shared_ptr<RandomImageTransform> solarize = *MakeRandomSolarize(10, 12);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const RandomImageTransform::Parameters p = solarize->Draw(seed);
    EXPECT_LE(p[0], p[1]);
    EXPECT_GE(p[0], 10);
    EXPECT_LE(p[1], 12);
  }
}

TEST(RandomColorTest, BlendWithGreyAndLighting) {
  // Grey of (200, 100, 0): (200*9798 + 100*19235 + 2^14) >> 15 = 119. t = 0.5 gives
  // 159.5, 109.5 and 59.5, rounded to even as cv::addWeighted does: 160, 110, 60.
  TensorPtr image = Bytes({1, 1, 3}, {200, 100, 0});
  EXPECT_EQ(Values<uint8_t>(*kernels::BlendWithGrey(*image, 0.5)), (std::vector<uint8_t>{160, 110, 60}));
  EXPECT_EQ(Values<uint8_t>(*kernels::BlendWithGrey(*image, 0.0)), (std::vector<uint8_t>{119, 119, 119}));
  // Weights (1, 0, 0): offsets 55.46 * (-0.5675, -0.5808, -0.5836) = (-31.47, -32.21, -32.37).
  EXPECT_EQ(Values<uint8_t>(*kernels::Lighting(*image, 1, 0, 0)), (std::vector<uint8_t>{169, 68, 0}));
}

TEST(MindSporeSharpnessTest, RoundedBlendWithTheSmoothedImage) {
  // A 3x3 image with 13 at the centre: the smoothed centre is (8 * 0 + 5 * 13) / 13 = 5, the
  // border stays. Factor 0.5: 0.5 * 13 + 0.5 * 5 = 9; factor 1.75: 22.75 - 3.75 = 19.
  TensorPtr image = Bytes({3, 3}, {0, 0, 0, 0, 13, 0, 0, 0, 0});
  EXPECT_EQ(Values<uint8_t>(*kernels::MindSporeSharpness(*image, 0.5)),
            (std::vector<uint8_t>{0, 0, 0, 0, 9, 0, 0, 0, 0}));
  EXPECT_EQ((*kernels::MindSporeSharpness(*image, 1.75))->data()[4], 19);
  // Where the blend lands on a half MindSpore rounds (to even) and Pillow truncates: the
  // smoothed centre (8 + 65) / 13 = 5.6 -> 6, and 0.5 * 13 + 0.5 * 6 = 9.5 -> 10, Pillow 9.
  TensorPtr halves = Bytes({3, 3}, {1, 1, 1, 1, 13, 1, 1, 1, 1});
  EXPECT_EQ((*kernels::MindSporeSharpness(*halves, 0.5))->data()[4], 10);
  EXPECT_EQ((*kernels::AdjustSharpness(*halves, 0.5))->data()[4], 9);
  TensorPtr floats = Make<float>(DataType::kFloat32, {3, 3}, {0, 0, 0, 0, 13, 0, 0, 0, 0});
  EXPECT_FLOAT_EQ((*kernels::MindSporeSharpness(*floats, 0.5))->data_as<float>()[4], 9.0f);
}

// The blend is fma(pixel, alpha, other * beta) in float, as cv::addWeighted runs in
// MindSpore 2.10 (checked against it): it decides the blends that land within float error
// of a half, where two separately rounded products would round the other way.
TEST(MindSporeSharpnessTest, BlendIsFusedLikeOpenCvs) {
  // Centre 103 with neighbours summing to 1357: smoothed (1357 + 5 * 103) / 13 = 144. Factor
  // f = float(2.6951221554): 103 f + 144 (1 - f) is 33.499992 fused (-> 33), 33.5 unfused.
  TensorPtr patch = Bytes({3, 3}, {158, 224, 130, 60, 103, 242, 78, 246, 219});
  EXPECT_EQ((*kernels::MindSporeSharpness(*patch, 2.6951221554243765))->data()[4], 33);
}

TEST(RandomColorTest, BlendIsFusedLikeOpenCvs) {
  // (197, 110, 1) has OpenCV grey 124; t = float(0.96575356): 197 t + 124 (1 - t) is
  // 194.50002 fused (-> 195), 194.5 unfused (-> 194, to even).
  TensorPtr pixel = Bytes({1, 1, 3}, {197, 110, 1});
  EXPECT_EQ((*kernels::BlendWithGrey(*pixel, 0.96575356))->data()[0], 195);
}

TEST(RandomColorTest, ArgumentErrorsNameTheTransform) {
  const auto message = [](const Result<RandomImageTransformPtr>& r) { return r.status().message(); };
  EXPECT_EQ(message(MakeRandomInvert(1.5)), "RandomInvert: prob must be in [0, 1], got 1.5");
  EXPECT_EQ(message(MakeRandomPosterize(0, 8)),
            "RandomPosterize: bits must be (min, max) with min <= max, both in [1, 8], got (0, 8)");
  EXPECT_EQ(message(MakeRandomLighting(-1)), "RandomLighting: alpha must be a non-negative number, got -1");
  EXPECT_EQ(message(MakeRandomColor(2, 1)),
            "RandomColor: degrees must be (min, max) with min <= max, both >= 0, got (2, 1)");
  std::shared_ptr<RandomImageTransform> color = *MakeRandomColor(0.5, 1.5);
  TensorList grey = {Bytes({2, 2}, {1, 2, 3, 4})};
  const Status status = color->Compute(&grey, 0);
  EXPECT_EQ(status.message(),
            "RandomColor: expected an image of shape (H, W) or (H, W, C) with 3 channels of uint8 or float32, "
            "got uint8 of shape [2, 2]");
}

}  // namespace
}  // namespace headrace::transforms
