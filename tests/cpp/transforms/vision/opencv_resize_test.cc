// OpenCvResize: OpenCV's cv::resize conventions on images small enough to work out by
// hand from those conventions (pixel-centre mapping, 11-bit weights, area cells), and
// the properties the transforms rely on. Comparisons with MindSpore's fixtures and a
// NumPy model on random images live in tests/python/vision/test_mindspore_resize.py.
#include "headrace/transforms/vision/opencv_resize.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {
namespace {

template <typename T>
TensorPtr MakeImage(DataType dtype, Shape shape, const std::vector<T>& values) {
  TensorPtr t = *Tensor::Create(dtype, std::move(shape));
  EXPECT_EQ(t->nbytes(), static_cast<int64_t>(values.size() * sizeof(T)));
  std::memcpy(t->mutable_data(), values.data(), t->nbytes());
  return t;
}

TensorPtr RandomU8(Shape shape, uint64_t seed) {
  TensorPtr t = *Tensor::Create(DataType::kUInt8, std::move(shape));
  Random random(seed);
  for (int64_t i = 0; i < t->nbytes(); ++i) t->mutable_data()[i] = static_cast<uint8_t>(random.Next());
  return t;
}

template <typename T>
std::vector<T> Values(const TensorPtr& t) {
  const T* p = t->data_as<T>();
  return std::vector<T>(p, p + t->num_elements());
}

ImageLayout LayoutOf(const Tensor& t) {
  return ImageLayout{t.shape()[0], t.shape()[1], t.rank() == 3 ? t.shape()[2] : 1, t.rank() == 3};
}

TensorPtr Resized(const TensorPtr& image, int64_t height, int64_t width, Interpolation interpolation) {
  const ImageLayout layout = LayoutOf(*image);
  Result<TensorPtr> out =
      OpenCvResize(*image, layout, PixelWindow{0, 0, layout.height, layout.width}, height, width, interpolation);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : nullptr;
}

TEST(OpenCvResizeTest, LinearEnlargingMapsPixelCentres) {
  // 2 -> 4: output x samples (x + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75,
  // 1.25 (clamped to 1): weights 1536/512 and 512/1536 of 2048 in between.
  const TensorPtr image = MakeImage<uint8_t>(DataType::kUInt8, {1, 2}, {0, 100});
  EXPECT_EQ(Values<uint8_t>(Resized(image, 1, 4, Interpolation::kLinear)), (std::vector<uint8_t>{0, 25, 75, 100}));
}

TEST(OpenCvResizeTest, LinearShrinkingHasNoAntialiasingFilter) {
  // 4 -> 2 across: samples at 0.5 and 2.5, each the mean of two neighbours, nothing of
  // the others (Pillow's bilinear would widen the filter and blend the step).
  const TensorPtr image = MakeImage<uint8_t>(DataType::kUInt8, {1, 4}, {0, 0, 255, 255});
  EXPECT_EQ(Values<uint8_t>(Resized(image, 1, 2, Interpolation::kLinear)), (std::vector<uint8_t>{0, 255}));
}

TEST(OpenCvResizeTest, LinearHalvingIsTheBlockMean) {
  // Exactly 2x in both directions is OpenCV's fast area path: (10 + 20 + 30 + 41 + 2) / 4.
  const TensorPtr image = MakeImage<uint8_t>(DataType::kUInt8, {2, 2}, {10, 20, 30, 41});
  EXPECT_EQ(Values<uint8_t>(Resized(image, 1, 1, Interpolation::kLinear)), (std::vector<uint8_t>{25}));
}

TEST(OpenCvResizeTest, NearestFloorsTheScaledIndex) {
  // 3 -> 2: floor(x * 1.5) = 0, 1 (not the pixel under the centre, 0 and 2).
  const TensorPtr three = MakeImage<uint8_t>(DataType::kUInt8, {1, 3}, {7, 8, 9});
  EXPECT_EQ(Values<uint8_t>(Resized(three, 1, 2, Interpolation::kNearest)), (std::vector<uint8_t>{7, 8}));
  // 2 -> 5: floor(x * 0.4) = 0, 0, 0, 1, 1.
  const TensorPtr two = MakeImage<uint8_t>(DataType::kUInt8, {1, 2}, {7, 8});
  EXPECT_EQ(Values<uint8_t>(Resized(two, 1, 5, Interpolation::kNearest)), (std::vector<uint8_t>{7, 7, 7, 8, 8}));
}

TEST(OpenCvResizeTest, NearestTakesAnyFixedWidthDtype) {
  const TensorPtr image = MakeImage<int16_t>(DataType::kInt16, {1, 3, 2}, {-5, 5, 300, -300, 7, 8});
  EXPECT_EQ(Values<int16_t>(Resized(image, 1, 2, Interpolation::kNearest)), (std::vector<int16_t>{-5, 5, 300, -300}));
  const ImageLayout layout = LayoutOf(*image);
  const Result<TensorPtr> linear = OpenCvResize(*image, layout, PixelWindow{0, 0, 1, 3}, 1, 2, Interpolation::kLinear);
  EXPECT_EQ(linear.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(linear.status().message(), "OpenCvResize: linear resizing takes uint8 or float32 images, got int16");
}

TEST(OpenCvResizeTest, AreaShrinkingWeighsTheCellsCover) {
  // 3 -> 2: cells [0, 1.5) and [1.5, 3): (0 + 90 / 2) / 1.5 = 30 and (90 / 2 + 180) / 1.5 = 150.
  const TensorPtr image = MakeImage<uint8_t>(DataType::kUInt8, {1, 3}, {0, 90, 180});
  EXPECT_EQ(Values<uint8_t>(Resized(image, 1, 2, Interpolation::kArea)), (std::vector<uint8_t>{30, 150}));
  // 3 -> 1 by an integer factor: the block mean, rounded.
  const TensorPtr block = MakeImage<uint8_t>(DataType::kUInt8, {1, 3}, {0, 1, 1});
  EXPECT_EQ(Values<uint8_t>(Resized(block, 1, 1, Interpolation::kArea)), (std::vector<uint8_t>{1}));
}

TEST(OpenCvResizeTest, AreaEnlargingByAnIntegerFactorRepeatsPixels) {
  // Each output cell lies inside one source pixel, so no blending at all.
  const TensorPtr image = MakeImage<uint8_t>(DataType::kUInt8, {1, 2}, {0, 100});
  EXPECT_EQ(Values<uint8_t>(Resized(image, 1, 4, Interpolation::kArea)), (std::vector<uint8_t>{0, 0, 100, 100}));
}

TEST(OpenCvResizeTest, CubicKeepsAFlatImageFlatAndOvershootsASharpStep) {
  const TensorPtr flat = MakeImage<uint8_t>(DataType::kUInt8, {2, 3}, std::vector<uint8_t>(6, 77));
  for (uint8_t v : Values<uint8_t>(Resized(flat, 5, 7, Interpolation::kCubic))) EXPECT_EQ(v, 77);
  // a = -0.75 rings: enlarging a 0/255 step clamps below 0 and above 255, and the
  // samples next to the step are beyond the linear interpolation's.
  const TensorPtr step = MakeImage<uint8_t>(DataType::kUInt8, {1, 4}, {0, 0, 200, 200});
  const std::vector<uint8_t> cubic = Values<uint8_t>(Resized(step, 1, 8, Interpolation::kCubic));
  const std::vector<uint8_t> linear = Values<uint8_t>(Resized(step, 1, 8, Interpolation::kLinear));
  EXPECT_EQ(cubic.front(), 0);
  EXPECT_EQ(cubic.back(), 200);
  EXPECT_LT(cubic[3], linear[3]);
  EXPECT_GT(cubic[4], linear[4]);
}

TEST(OpenCvResizeTest, AWindowIsResizedAsTheCropAlone) {
  // MindSpore crops, then resizes: pixels outside the window never contribute.
  const TensorPtr image = RandomU8({40, 50, 3}, 3);
  const PixelWindow window{5, 7, 21, 30};
  TensorPtr crop = *Tensor::Create(DataType::kUInt8, {window.height, window.width, 3});
  for (int64_t y = 0; y < window.height; ++y) {
    std::memcpy(crop->mutable_data() + y * window.width * 3,
                image->data() + ((window.top + y) * 50 + window.left) * 3, window.width * 3);
  }
  for (Interpolation interpolation :
       {Interpolation::kNearest, Interpolation::kLinear, Interpolation::kCubic, Interpolation::kArea}) {
    for (auto [h, w] : {std::pair<int64_t, int64_t>{9, 13}, {47, 61}, {21, 15}}) {
      const Result<TensorPtr> windowed = OpenCvResize(*image, LayoutOf(*image), window, h, w, interpolation);
      ASSERT_TRUE(windowed.ok());
      EXPECT_EQ(Values<uint8_t>(*windowed), Values<uint8_t>(Resized(crop, h, w, interpolation)))
          << InterpolationName(interpolation) << " " << h << "x" << w;
    }
  }
}

TEST(OpenCvResizeTest, ChannelsAreResizedEachOnItsOwn) {
  // Any channel count (5 here, no compile-time kernel): each channel as a 2-D image.
  const TensorPtr image = RandomU8({13, 17, 5}, 9);
  for (Interpolation interpolation :
       {Interpolation::kNearest, Interpolation::kLinear, Interpolation::kCubic, Interpolation::kArea}) {
    for (auto [h, w] : {std::pair<int64_t, int64_t>{6, 8}, {29, 40}, {7, 34}}) {
      const std::vector<uint8_t> all = Values<uint8_t>(Resized(image, h, w, interpolation));
      for (int64_t c = 0; c < 5; ++c) {
        TensorPtr plane = *Tensor::Create(DataType::kUInt8, {13, 17});
        for (int64_t i = 0; i < 13 * 17; ++i) plane->mutable_data()[i] = image->data()[i * 5 + c];
        const std::vector<uint8_t> one = Values<uint8_t>(Resized(plane, h, w, interpolation));
        for (int64_t i = 0; i < h * w; ++i) {
          ASSERT_EQ(all[i * 5 + c], one[i]) << InterpolationName(interpolation) << " channel " << c << " at " << i;
        }
      }
    }
  }
}

TEST(OpenCvResizeTest, Float32FollowsTheSameWeights) {
  // The same image as float32 gives the uint8 result to within the fixed-point rounding.
  const TensorPtr bytes = RandomU8({19, 23, 3}, 4);
  TensorPtr floats = *Tensor::Create(DataType::kFloat32, {19, 23, 3});
  auto* f = reinterpret_cast<float*>(floats->mutable_data());
  for (int64_t i = 0; i < bytes->num_elements(); ++i) f[i] = bytes->data()[i];
  for (Interpolation interpolation : {Interpolation::kLinear, Interpolation::kCubic, Interpolation::kArea}) {
    for (auto [h, w] : {std::pair<int64_t, int64_t>{8, 11}, {40, 57}, {19, 9}}) {
      const std::vector<uint8_t> u8 = Values<uint8_t>(Resized(bytes, h, w, interpolation));
      const std::vector<float> f32 = Values<float>(Resized(floats, h, w, interpolation));
      for (size_t i = 0; i < u8.size(); ++i) {
        const float clamped = std::min(255.0f, std::max(0.0f, f32[i]));
        ASSERT_NEAR(u8[i], clamped, 1.0f) << InterpolationName(interpolation) << " at " << i;
      }
    }
  }
}

TEST(OpenCvResizeTest, TheOutputSizeIsACopy) {
  const TensorPtr image = RandomU8({6, 7, 3}, 5);
  EXPECT_EQ(Values<uint8_t>(Resized(image, 6, 7, Interpolation::kCubic)), Values<uint8_t>(image));
}

TEST(OpenCvResizeTest, ResizeRegionTakesWholePixelBoxesForMindSporesKernels) {
  const TensorPtr image = RandomU8({10, 12, 3}, 6);
  const ImageLayout layout = LayoutOf(*image);
  const Result<TensorPtr> whole = ResizeRegion(*image, layout, SourceBox{2, 3, 10, 9}, 4, 5, Interpolation::kLinear);
  ASSERT_TRUE(whole.ok());
  const Result<TensorPtr> window = OpenCvResize(*image, layout, PixelWindow{3, 2, 6, 8}, 4, 5, Interpolation::kLinear);
  EXPECT_EQ(Values<uint8_t>(*whole), Values<uint8_t>(*window));
  const Result<TensorPtr> fractional =
      ResizeRegion(*image, layout, SourceBox{0.5, 0, 10, 9}, 4, 5, Interpolation::kLinear);
  EXPECT_EQ(fractional.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fractional.status().message().find("whole pixels"), std::string::npos) << fractional.status().message();
}

TEST(OpenCvResizeTest, BadArgumentsAreRefused) {
  const TensorPtr image = RandomU8({10, 12}, 7);
  const ImageLayout layout = LayoutOf(*image);
  EXPECT_EQ(OpenCvResize(*image, layout, PixelWindow{0, 0, 10, 12}, 0, 5, Interpolation::kLinear).status().code(),
            StatusCode::kInvalidArgument);
  const Result<TensorPtr> outside = OpenCvResize(*image, layout, PixelWindow{5, 0, 6, 12}, 3, 3, Interpolation::kLinear);
  EXPECT_EQ(outside.status().message(),
            "OpenCvResize: the window (top=5, left=0, height=6, width=12) must be non-empty and inside the image "
            "of shape [10, 12]");
  EXPECT_EQ(OpenCvResize(*image, layout, PixelWindow{0, 0, 10, 12}, 3, 3, Interpolation::kPillowBilinear)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::transforms
