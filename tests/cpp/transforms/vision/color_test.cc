// Colour and value transforms: exact values worked out by hand (or, where noted, taken
// from Pillow 11-13 on the same input), layouts, RandomColorAdjust's draws, and errors.
// tests/python/vision/test_color.py compares against Pillow and NumPy on random images.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

#include "headrace/transforms/vision/color_adjust.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/normalize.h"

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

// Pixels whose Pillow "L" levels are 76, 127, 90 and 0.
TensorPtr FourPixels() { return Bytes({1, 4, 3}, {255, 0, 0, 10, 200, 60, 90, 90, 90, 0, 0, 1}); }

TEST(NormalizeTest, SubtractsAndDividesPerChannel) {
  TensorPtr image = Bytes({1, 2, 3}, {0, 128, 255, 10, 20, 30});
  TensorPtr out = *Normalize::Apply(*image, {10, 20, 30}, {2, 4, 5}, true);
  EXPECT_EQ(out->dtype(), DataType::kFloat32);
  EXPECT_EQ(out->shape(), image->shape());
  EXPECT_EQ(Values<float>(out), (std::vector<float>{-5, 27, 45, 0, 0, 0}));

  // Channels first: each plane gets its own mean; one value applies to every channel.
  TensorPtr chw = Make<float>(DataType::kFloat32, {2, 1, 2}, {1, 3, 5, 7});
  EXPECT_EQ(Values<float>(*Normalize::Apply(*chw, {1, 5}, {2, 2}, false)), (std::vector<float>{0, 1, 0, 1}));
  EXPECT_EQ(Values<float>(*Normalize::Apply(*chw, {1}, {2}, true)), (std::vector<float>{0, 1, 2, 3}));
}

TEST(NormalizeTest, Errors) {
  EXPECT_EQ(Normalize::Make({1, 2}, {1}, true).status().message(),
            "Normalize: mean and std must have the same length, got 2 and 1");
  EXPECT_FALSE(Normalize::Make({1}, {0}, true).ok());
  TensorPtr four_channels = *Tensor::Create(DataType::kUInt8, {2, 2, 4});
  EXPECT_EQ(Normalize::Apply(*four_channels, {1, 2, 3}, {1, 1, 1}, true).status().message(),
            "Normalize: mean and std have 3 values but the image of shape [2, 2, 4] has 4 channels");
  TensorPtr doubles = *Tensor::Create(DataType::kFloat64, {2, 2, 3});
  EXPECT_EQ(Normalize::Apply(*doubles, {1}, {1}, true).status().message(),
            "Normalize: expected an image of shape (H, W) or (H, W, C) of uint8 or float32, got "
            "float64 of shape [2, 2, 3]");
}

TEST(RescaleTest, ScalesAndShifts) {
  TensorPtr out = *Rescale::Apply(*Bytes({1, 3}, {0, 51, 255}), 1.0f / 255.0f, -0.5f);
  std::vector<float> values = Values<float>(out);
  EXPECT_FLOAT_EQ(values[0], -0.5f);
  EXPECT_FLOAT_EQ(values[1], -0.3f);
  EXPECT_FLOAT_EQ(values[2], 0.5f);
}

TEST(HWC2CHWTest, TransposesAnyElementSize) {
  TensorPtr bytes = Bytes({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  TensorPtr out = *HWC2CHW::Apply(*bytes);
  EXPECT_EQ(out->shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12}));

  TensorPtr doubles = Make<double>(DataType::kFloat64, {1, 2, 2}, {1.5, 2.5, 3.5, 4.5});
  EXPECT_EQ(Values<double>(*HWC2CHW::Apply(*doubles)), (std::vector<double>{1.5, 3.5, 2.5, 4.5}));
  TensorPtr shorts = Make<int16_t>(DataType::kInt16, {1, 1, 5}, {1, 2, 3, 4, 5});
  EXPECT_EQ((*HWC2CHW::Apply(*shorts))->shape(), (Shape{5, 1, 1}));

  TensorPtr grey = Bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  out = *HWC2CHW::Apply(*grey);
  EXPECT_EQ(out->shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(Values<uint8_t>(out), Values<uint8_t>(grey));
}

TEST(ColorKernelsTest, LumaAndBlendFollowPillow) {
  EXPECT_EQ(kernels::Luma(255, 255, 255), 255);
  EXPECT_EQ(kernels::Luma(255, 0, 0), 76);  // Pillow's "L" of pure red
  EXPECT_EQ(kernels::Luma(10, 200, 60), 127);
  EXPECT_EQ(kernels::BlendValue(100, 200, 0.5f), 150);
  EXPECT_EQ(kernels::BlendValue(100, 201, 0.5f), 150) << "truncates";
  EXPECT_EQ(kernels::BlendValue(100, 200, 2.0f), 255) << "clips";
  EXPECT_EQ(kernels::BlendValue(100, 0, 1.5f), 0) << "clips";
}

TEST(ColorKernelsTest, Brightness) {
  TensorPtr image = Bytes({1, 4}, {0, 100, 127, 200});
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustBrightness(*image, 0.0)), (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustBrightness(*image, 1.0)), Values<uint8_t>(image));
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustBrightness(*image, 1.5)), (std::vector<uint8_t>{0, 150, 190, 255}));
}

TEST(ColorKernelsTest, ContrastBlendsWithTheRoundedMeanGrey) {
  // "L" levels 76, 127, 90, 0: mean 73.25, rounded to 73.
  TensorPtr out = *kernels::AdjustContrast(*FourPixels(), 0.5);
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{164, 36, 36, 41, 136, 66, 81, 81, 81, 36, 36, 37}));
  TensorPtr flat = *kernels::AdjustContrast(*FourPixels(), 0.0);
  EXPECT_EQ(Values<uint8_t>(flat), std::vector<uint8_t>(12, 73));
}

TEST(ColorKernelsTest, SaturationBlendsWithGrey) {
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustSaturation(*FourPixels(), 0.0)),
            (std::vector<uint8_t>{76, 76, 76, 127, 127, 127, 90, 90, 90, 0, 0, 0}));
  TensorPtr grey = Bytes({2, 2, 1}, {1, 2, 3, 4});
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustSaturation(*grey, 0.0)), Values<uint8_t>(grey));
}

TEST(ColorKernelsTest, HueMatchesPillowHsv) {
  // Expected values from Pillow: convert("HSV"), hue + int(f * 255) mod 256, back to RGB.
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustHue(*FourPixels(), 1.0 / 3.0)),
            (std::vector<uint8_t>{0, 255, 0, 59, 10, 200, 90, 90, 90, 1, 0, 0}));
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustHue(*FourPixels(), -0.25)),
            (std::vector<uint8_t>{138, 0, 255, 200, 158, 10, 90, 90, 90, 0, 1, 1}));
  TensorPtr grey = Bytes({1, 2}, {5, 6});
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustHue(*grey, 0.5)), Values<uint8_t>(grey));
  EXPECT_EQ(kernels::AdjustHue(*FourPixels(), 0.6).status().message(),
            "AdjustHue: hue_factor must be in [-0.5, 0.5], got 0.600000");
}

TEST(EnhanceKernelsTest, SharpnessBlendsWithSmoothInsideTheBorder) {
  // SMOOTH of the centre: (0+10+20+30+50+60+70+80 + 5*130) / 13 = 74.6 -> 75.
  TensorPtr image = Bytes({3, 3}, {0, 10, 20, 30, 130, 50, 60, 70, 80});
  const std::vector<std::pair<double, uint8_t>> centres = {{0.0, 75}, {0.5, 102}, {2.0, 185}};
  for (const auto& [factor, centre] : centres) {
    std::vector<uint8_t> expected = Values<uint8_t>(image);
    expected[4] = centre;
    EXPECT_EQ(Values<uint8_t>(*kernels::AdjustSharpness(*image, factor)), expected) << factor;
  }
  TensorPtr thin = Bytes({2, 4, 3}, std::vector<uint8_t>(24, 9));
  EXPECT_EQ(Values<uint8_t>(*kernels::AdjustSharpness(*thin, 0.0)), Values<uint8_t>(thin));
}

TEST(EnhanceKernelsTest, ToneCurves) {
  TensorPtr image = Bytes({1, 5}, {0, 50, 128, 200, 255});
  EXPECT_EQ(Values<uint8_t>(*kernels::Posterize(*image, 2)), (std::vector<uint8_t>{0, 0, 128, 192, 192}));
  EXPECT_EQ(Values<uint8_t>(*kernels::Posterize(*image, 0)), std::vector<uint8_t>(5, 0));
  EXPECT_EQ(Values<uint8_t>(*kernels::Posterize(*image, 8)), Values<uint8_t>(image));
  EXPECT_EQ(Values<uint8_t>(*kernels::Solarize(*image, 128, 255)), (std::vector<uint8_t>{0, 50, 127, 55, 0}));
  EXPECT_EQ(Values<uint8_t>(*kernels::Solarize(*image, 40, 130)), (std::vector<uint8_t>{0, 205, 127, 200, 255}));
  EXPECT_EQ(Values<uint8_t>(*kernels::Invert(*image)), (std::vector<uint8_t>{255, 205, 127, 55, 0}));
  EXPECT_EQ(kernels::Posterize(*image, 9).status().message(), "Posterize: bits must be in [0, 8], got 9");
}

TEST(EnhanceKernelsTest, AutoContrastStretchesEachChannel) {
  // Channels 0 and 2 span [50, 100]: v * 5.1 - 255, truncated (100 gives 254.99999999999997,
  // so 254, as in Pillow); channel 1 is constant, so unchanged.
  TensorPtr image = Bytes({1, 3, 3}, {50, 7, 50, 75, 7, 75, 100, 7, 100});
  EXPECT_EQ(Values<uint8_t>(*kernels::AutoContrast(*image, 0.0, {})),
            (std::vector<uint8_t>{0, 7, 0, 127, 7, 127, 254, 7, 254}));
  // Ignoring 100 leaves [50, 75]: 100 maps past 255 and clips.
  EXPECT_EQ(Values<uint8_t>(*kernels::AutoContrast(*image, 0.0, {100})),
            (std::vector<uint8_t>{0, 7, 0, 255, 7, 255, 255, 7, 255}));
}

TEST(EnhanceKernelsTest, EqualizeSpreadsTheHistogram) {
  TensorPtr single = Bytes({2, 2}, {9, 9, 9, 9});
  EXPECT_EQ(Values<uint8_t>(*kernels::Equalize(*single)), Values<uint8_t>(single));
  // 255 pixels of 0 and 255 of 1, one of 2: step (511 - 1) / 255 = 2; 1 -> (1 + 255) / 2.
  std::vector<uint8_t> values(511, 0);
  for (int i = 255; i < 510; ++i) values[i] = 1;
  values[510] = 2;
  std::vector<uint8_t> out = Values<uint8_t>(*kernels::Equalize(*Bytes({1, 511}, values)));
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[300], 128);
  EXPECT_EQ(out[510], 255);
}

TEST(ColorTransformsTest, ErrorsNameTheTransformAndTheInput) {
  TensorPtr floats = *Tensor::Create(DataType::kFloat32, {4, 4, 3});
  EXPECT_EQ(kernels::AdjustHue(*floats, 0.1).status().message(),
            "AdjustHue: expected an image of shape (H, W) or (H, W, C) with 1 or 3 channels of "
            "uint8, got float32 of shape [4, 4, 3]");
  TensorPtr rgba = *Tensor::Create(DataType::kUInt8, {4, 4, 4});
  EXPECT_EQ(kernels::Equalize(*rgba).status().message(),
            "Equalize: expected an image of shape (H, W) or (H, W, C) with 1 or 3 channels of "
            "uint8, got uint8 of shape [4, 4, 4]");
  TensorList columns = {rgba};
  EXPECT_EQ(Invert().Compute(&columns, 0).message(),
            "Invert: expected an image of shape (H, W) or (H, W, C) with 1 or 3 channels of "
            "uint8, got uint8 of shape [4, 4, 4]");
  columns = {rgba, rgba};
  EXPECT_EQ(AdjustSharpness(1.0, ColorArithmetic::kPillow).Compute(&columns, 0).message(),
            "AdjustSharpness: expected one column (the image), got 2");
  EXPECT_EQ(AdjustBrightness::Make(-1, ColorArithmetic::kMindSpore).status().message(),
            "AdjustBrightness: brightness_factor must be a non-negative number, got -1.000000");
  EXPECT_FALSE(Solarize::Make(10, 5).ok());
  EXPECT_FALSE(AutoContrast::Make(50, {}, ColorArithmetic::kMindSpore).ok());
  EXPECT_FALSE(AutoContrast::Make(0, {256}, ColorArithmetic::kMindSpore).ok());
}

TEST(RandomColorAdjustTest, DrawsEveryOrderWithFactorsInRange) {
  auto op = *RandomColorAdjust::Make({0.5, 1.5}, {0.8, 1.2}, {0.0, 2.0}, {-0.1, 0.1}, ColorArithmetic::kPillow);
  std::set<std::vector<int>> orders;
  for (uint64_t seed = 0; seed < 500; ++seed) {
    const RandomColorAdjust::Plan plan = op->Draw(seed);
    ASSERT_EQ(plan.size, 4);
    std::vector<int> order;
    for (int i = 0; i < plan.size; ++i) {
      const auto& step = plan.steps[i];
      order.push_back(static_cast<int>(step.adjustment));
      switch (step.adjustment) {
        case RandomColorAdjust::Adjustment::kBrightness: EXPECT_TRUE(step.factor >= 0.5 && step.factor <= 1.5); break;
        case RandomColorAdjust::Adjustment::kContrast: EXPECT_TRUE(step.factor >= 0.8 && step.factor <= 1.2); break;
        case RandomColorAdjust::Adjustment::kSaturation: EXPECT_TRUE(step.factor >= 0.0 && step.factor <= 2.0); break;
        case RandomColorAdjust::Adjustment::kHue: EXPECT_TRUE(step.factor >= -0.1 && step.factor <= 0.1); break;
      }
    }
    orders.insert(order);
  }
  EXPECT_EQ(orders.size(), 24u) << "all 4! orders appear";
}

TEST(RandomColorAdjustTest, ComputeAppliesTheDrawnPlanWithTheKernels) {
  auto op = *RandomColorAdjust::Make({0.5, 1.5}, {0.5, 1.5}, {0.5, 1.5}, {-0.2, 0.2}, ColorArithmetic::kPillow);
  std::vector<uint8_t> values(7 * 9 * 3);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint8_t>(i * 37 % 256);
  TensorPtr image = Bytes({7, 9, 3}, values);
  for (uint64_t seed : {1u, 2u, 3u}) {
    TensorList columns = {image};
    ASSERT_TRUE(op->Compute(&columns, seed).ok());
    const RandomColorAdjust::Plan plan = op->Draw(seed);
    TensorPtr expected = image;
    for (int i = 0; i < plan.size; ++i) {
      const double f = plan.steps[i].factor;
      switch (plan.steps[i].adjustment) {
        case RandomColorAdjust::Adjustment::kBrightness: expected = *kernels::AdjustBrightness(*expected, f); break;
        case RandomColorAdjust::Adjustment::kContrast: expected = *kernels::AdjustContrast(*expected, f); break;
        case RandomColorAdjust::Adjustment::kSaturation: expected = *kernels::AdjustSaturation(*expected, f); break;
        case RandomColorAdjust::Adjustment::kHue: expected = *kernels::AdjustHue(*expected, f); break;
      }
    }
    EXPECT_EQ(Values<uint8_t>(columns[0]), Values<uint8_t>(expected)) << seed;
    EXPECT_EQ(Values<uint8_t>(*op->Apply(*image, plan)), Values<uint8_t>(expected));
  }
}

TEST(RandomColorAdjustTest, IdentityRangesAreSkipped) {
  auto op = *RandomColorAdjust::Make({1, 1}, {1, 1}, {1, 1}, {0, 0}, ColorArithmetic::kPillow);
  EXPECT_EQ(op->Draw(5).size, 0);
  TensorPtr image = FourPixels();
  TensorList columns = {image};
  ASSERT_TRUE(op->Compute(&columns, 5).ok());
  EXPECT_EQ(columns[0], image) << "nothing to do: the same tensor";

  auto brightness_only = *RandomColorAdjust::Make({0.2, 0.3}, {1, 1}, {1, 1}, {0, 0}, ColorArithmetic::kPillow);
  const RandomColorAdjust::Plan plan = brightness_only->Draw(9);
  ASSERT_EQ(plan.size, 1);
  EXPECT_EQ(plan.steps[0].adjustment, RandomColorAdjust::Adjustment::kBrightness);
}

TEST(RandomColorAdjustTest, Errors) {
  EXPECT_EQ(RandomColorAdjust::Make({1, 1}, {2, 1}, {1, 1}, {0, 0}, ColorArithmetic::kPillow).status().message(),
            "RandomColorAdjust: contrast must be a range [min, max] with 0 <= min <= max, got "
            "[2.000000, 1.000000]");
  EXPECT_FALSE(RandomColorAdjust::Make({1, 1}, {1, 1}, {1, 1}, {-0.6, 0}, ColorArithmetic::kPillow).ok());
  auto op = *RandomColorAdjust::Make({0.5, 1.5}, {1, 1}, {1, 1}, {0, 0}, ColorArithmetic::kPillow);
  TensorList columns = {*Tensor::Create(DataType::kUInt8, {4, 4, 2})};
  EXPECT_EQ(op->Compute(&columns, 0).message(),
            "RandomColorAdjust: expected an image of shape (H, W) or (H, W, C) with 1 or 3 "
            "channels of uint8, got uint8 of shape [4, 4, 2]");
}

}  // namespace
}  // namespace headrace::transforms
