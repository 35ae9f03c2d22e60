// DecodeRandomResizedCrop: the fused decode gives what Decode then RandomResizedCrop give
// for the same seed: exactly for a PNG and for a JPEG with MindSpore's kernels, within the
// resampling tolerance the header states for a JPEG with Pillow's (the limits of
// tests/python/vision/test_augment.py: mean absolute difference below 2.5 levels, 99th
// percentile at most 16); RandomCropDecodeResize, the same step alone; Decode's errors.
#include "headrace/transforms/vision/decode_random_resized_crop.h"

#include <gtest/gtest.h>

#include "headrace/transforms/vision/decode.h"
#include "vision_test_util.h"

namespace headrace::transforms {
namespace {

using testing::Difference;
using testing::EncodeJpeg;
using testing::EncodePng;
using testing::ImageDifference;
using testing::Photo;

RandomResizedCropParams Square(int64_t size) {
  RandomResizedCropParams params;
  params.height = size;
  params.width = size;
  params.interpolation = Interpolation::kPillowBilinear;
  return params;
}

// Decode, then RandomResizedCrop with `seed`: what the fused op must match.
TensorPtr Unfused(const TensorPtr& encoded, const RandomResizedCropParams& params, uint64_t seed) {
  TensorList columns = {encoded};
  EXPECT_TRUE(Decode().Compute(&columns, 0).ok());
  const Status cropped = RandomResizedCrop(params).Compute(&columns, seed);
  EXPECT_TRUE(cropped.ok()) << cropped.ToString();
  return columns.front();
}

TensorPtr Fused(const TensorPtr& encoded, const RandomResizedCropParams& params, uint64_t seed) {
  TensorList columns = {encoded};
  const Status status = DecodeRandomResizedCrop(params).Compute(&columns, seed);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(columns.size(), 1u);
  return columns.front();
}

TEST(DecodeRandomResizedCropTest, StandsForTwoStepsOfAChain) {
  DecodeRandomResizedCrop op(Square(8));
  EXPECT_EQ(op.name(), "Decode+RandomResizedCrop");
  EXPECT_EQ(op.chain_steps(), 2);
}

TEST(DecodeRandomResizedCropTest, APngGivesExactlyThePairsPixels) {
  const TensorPtr png = EncodePng(*Photo(60, 80));
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const TensorPtr fused = Fused(png, Square(24), seed);
    const TensorPtr unfused = Unfused(png, Square(24), seed);
    ASSERT_EQ(fused->shape(), (Shape{24, 24, 3}));
    EXPECT_EQ(testing::BytesOf(*fused), testing::BytesOf(*unfused)) << "seed " << seed;
  }
}

TEST(DecodeRandomResizedCropTest, AJpegStaysWithinTheResamplingToleranceOfThePair) {
  for (int64_t size : {64, 160}) {
    for (uint32_t image = 0; image < 10; ++image) {
      const TensorPtr jpeg = EncodeJpeg(*Photo(300, 400, image));
      for (uint64_t seed = 0; seed < 3; ++seed) {
        const TensorPtr fused = Fused(jpeg, Square(size), seed * 31 + image);
        const TensorPtr unfused = Unfused(jpeg, Square(size), seed * 31 + image);
        ASSERT_EQ(fused->shape(), (Shape{size, size, 3}));
        const auto difference = Difference(*fused, *unfused);
        EXPECT_LT(difference.mean, 2.5) << "size " << size << ", image " << image << ", seed " << seed;
        EXPECT_LE(difference.percentile_99, 16) << "size " << size << ", image " << image << ", seed " << seed;
      }
    }
  }
}

TEST(DecodeRandomResizedCropTest, TheToleranceTellsAnotherWindowApart) {
  // The tolerance is not loose enough to pass a wrong window: the fused op with one seed
  // against the pair with another is far off.
  const TensorPtr jpeg = EncodeJpeg(*Photo(300, 400));
  int far = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const auto difference = Difference(*Fused(jpeg, Square(64), seed), *Unfused(jpeg, Square(64), seed + 100));
    far += difference.mean >= 2.5;
  }
  EXPECT_GE(far, 9);
}

// The fused and unfused output for a window that is the whole 300 x 400 image (scale 1,
// ratio 4/3), cropped to size x size with seed 5.
ImageDifference WholeImageDifference(int64_t size) {
  RandomResizedCropParams params = Square(size);
  params.scale_min = params.scale_max = 1.0;
  params.ratio_min = params.ratio_max = 4.0 / 3.0;
  const TensorPtr jpeg = EncodeJpeg(*Photo(300, 400, 7));
  return Difference(*Fused(jpeg, params, 5), *Unfused(jpeg, params, 5));
}

TEST(DecodeRandomResizedCropTest, WholeImageWindowsAtHalfQuarterAndFullScale) {
  // The largest DCT scale that keeps the 300-row window at least the output size: 48 to 75
  // decode at 1/4, 128 to 150 at 1/2, 200 in full; 75 and 150 are the closest to their
  // thresholds, where the reduced image is barely larger than the output.
  for (int64_t size : {48, 64, 75, 128, 150, 200}) {
    const ImageDifference difference = WholeImageDifference(size);
    EXPECT_LT(difference.mean, 2.5) << "size " << size;
    EXPECT_LE(difference.percentile_99, 16) << "size " << size;
  }
}

// Outputs of 37 rows or fewer from the 300-row window could decode at 1/8, which keeps
// only each block's average (the DC coefficient) and was measured beyond the tolerance
// (mean 2.58 to 3.43 levels); the planner stops at 1/4, which stays within it.
TEST(DecodeRandomResizedCropTest, WholeImageWindowsForSmallOutputsStayWithinTheTolerance) {
  for (int64_t size : {16, 24, 32, 35, 36, 37}) {
    const ImageDifference difference = WholeImageDifference(size);
    EXPECT_LT(difference.mean, 2.5) << "size " << size;
    EXPECT_LE(difference.percentile_99, 16) << "size " << size;
  }
}

TEST(DecodeRandomResizedCropTest, MindSporesKernelsGiveExactlyThePairsPixels) {
  // With MindSpore's kernels the crop is decoded at full scale with a margin (a 4:2:0 JPEG
  // here, whose chroma upsampling reads neighbouring rows and columns; without the margin
  // the crop's edges were up to 28 levels off): its pixels are the full decode's, so
  // OpenCV's resize of it is the pair's, bit for bit.
  // So does Pillow's bicubic with crop_first (MindSpore's PILCUBIC: Pillow's resize of the crop).
  for (Interpolation interpolation : {Interpolation::kNearest, Interpolation::kLinear, Interpolation::kCubic,
                                      Interpolation::kArea, Interpolation::kPillowBicubic}) {
    RandomResizedCropParams params = Square(48);
    params.interpolation = interpolation;
    params.crop_first = true;
    for (uint32_t image = 0; image < 3; ++image) {
      const TensorPtr jpeg = EncodeJpeg(*Photo(200, 260, image));
      for (uint64_t seed = 0; seed < 8; ++seed) {
        const TensorPtr fused = Fused(jpeg, params, seed * 7 + image);
        const TensorPtr unfused = Unfused(jpeg, params, seed * 7 + image);
        ASSERT_EQ(fused->shape(), (Shape{48, 48, 3}));
        EXPECT_EQ(testing::BytesOf(*fused), testing::BytesOf(*unfused))
            << InterpolationName(interpolation) << ", image " << image << ", seed " << seed;
      }
    }
  }
}

TEST(DecodeRandomResizedCropTest, RandomCropDecodeResizeIsTheSameStepByItself) {
  RandomResizedCropParams params = Square(40);
  params.interpolation = Interpolation::kLinear;
  auto op = DecodeRandomResizedCrop::MakeRandomCropDecodeResize(params);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ((*op)->name(), "RandomCropDecodeResize");
  EXPECT_EQ((*op)->chain_steps(), 1);
  const TensorPtr jpeg = EncodeJpeg(*Photo(120, 90));
  for (uint64_t seed = 0; seed < 5; ++seed) {
    TensorList columns = {jpeg};
    ASSERT_TRUE((*op)->Compute(&columns, seed).ok());
    EXPECT_EQ(testing::BytesOf(*columns.front()), testing::BytesOf(*Unfused(jpeg, params, seed))) << "seed " << seed;
  }
  params.max_attempts = 0;
  const auto bad = DecodeRandomResizedCrop::MakeRandomCropDecodeResize(params);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "RandomCropDecodeResize: max_attempts must be at least 1, got 0");
}

TEST(DecodeRandomResizedCropTest, ErrorsAreDecodesErrors) {
  DecodeRandomResizedCrop op(Square(16));
  const TensorPtr jpeg = EncodeJpeg(*Photo(50, 60));
  TensorList truncated = {*Tensor::Create(DataType::kUInt8, {300})};
  std::memcpy(truncated[0]->mutable_data(), jpeg->data(), 300);
  const Status status = op.Compute(&truncated, 1);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("Decode: corrupt or truncated JPEG: ", 0), 0u) << status.message();

  TensorList text = {*Tensor::Create(DataType::kUInt8, {5})};
  std::memcpy(text[0]->mutable_data(), "hello", 5);
  EXPECT_EQ(op.Compute(&text, 1).message(), "Decode: the data is neither JPEG nor PNG (5 bytes)");

  TensorList pixels = {Photo(4, 4)};
  EXPECT_EQ(op.Compute(&pixels, 1).message(),
            "Decode: expected the encoded image as a 1-D uint8 array, got uint8 of shape [4, 4, 3]");
  TensorList two = {jpeg, jpeg};
  EXPECT_EQ(op.Compute(&two, 1).message(), "Decode: expected one column (the encoded image), got 2");
}

}  // namespace
}  // namespace headrace::transforms
