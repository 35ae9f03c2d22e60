// The geometric operations of AutoAugment and RandAugment with MindSpore's interpolations
// follow MindSpore's ApplyAugment: translations by whole pixels, shears of m radians about
// the image centre (torchvision's, under Pillow's interpolations, shear by atan(m) about
// the top-left corner), rotations about ((w - 1) / 2, (h - 1) / 2).
#include "headrace/transforms/vision/augment_ops.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/opencv_warp.h"

namespace headrace::transforms {
namespace {

constexpr int64_t kHeight = 15, kWidth = 21;

TensorPtr Noise(uint64_t seed) {
  TensorPtr t = *Tensor::Create(DataType::kUInt8, {kHeight, kWidth, 3});
  Random random(seed);
  for (int64_t i = 0; i < t->nbytes(); ++i) t->mutable_data()[i] = static_cast<uint8_t>(random.Next());
  return t;
}

const ImageLayout kLayout{kHeight, kWidth, 3, true};

const uint8_t* Pixel(const TensorPtr& t, int64_t y, int64_t x) { return t->data() + (y * kWidth + x) * 3; }

TensorPtr Applied(const TensorPtr& image, AugmentOp op, double magnitude, Interpolation interpolation) {
  Result<TensorPtr> out = ApplyAugmentOp(image, kLayout, op, magnitude, AugmentStyle{interpolation, {7}});
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : nullptr;
}

TEST(AugmentWarpsTest, TranslationsMoveByWholePixels) {
  const TensorPtr image = Noise(1);
  for (Interpolation interp : {Interpolation::kNearest, Interpolation::kLinear, Interpolation::kCubic}) {
    const TensorPtr right = Applied(image, AugmentOp::kTranslateX, 5.7, interp);
    const TensorPtr up = Applied(image, AugmentOp::kTranslateY, -3.2, interp);
    for (int64_t y = 0; y < kHeight; ++y) {
      for (int64_t x = 0; x < kWidth; ++x) {
        const uint8_t* moved = Pixel(right, y, x);
        if (x >= 5) {
          EXPECT_EQ(std::memcmp(moved, Pixel(image, y, x - 5), 3), 0) << y << "," << x;
        } else {
          EXPECT_EQ(moved[0], 7);
        }
        if (y + 3 < kHeight) {
          EXPECT_EQ(std::memcmp(Pixel(up, y, x), Pixel(image, y + 3, x), 3), 0);
        }
      }
    }
  }
}

TEST(AugmentWarpsTest, MindSporeShearsAboutTheCentreTorchvisionAboutTheCorner) {
  const TensorPtr image = Noise(2);
  const TensorPtr mindspore = Applied(image, AugmentOp::kShearX, 0.3, Interpolation::kNearest);
  const TensorPtr torchvision = Applied(image, AugmentOp::kShearX, 0.3, Interpolation::kPillowNearest);
  const int64_t centre = (kHeight - 1) / 2;
  EXPECT_EQ(std::memcmp(Pixel(mindspore, centre, 0), Pixel(image, centre, 0), kWidth * 3), 0);
  EXPECT_NE(std::memcmp(Pixel(mindspore, 0, 0), Pixel(image, 0, 0), kWidth * 3), 0);
  EXPECT_EQ(std::memcmp(Pixel(torchvision, 0, 0), Pixel(image, 0, 0), kWidth * 3), 0);
}

TEST(AugmentWarpsTest, MindSporeRotatesAboutItsCentre) {
  const TensorPtr image = Noise(3);
  const TensorPtr turned = Applied(image, AugmentOp::kRotate, 23.0, Interpolation::kLinear);
  const AffineMatrix m = RotationMatrix2D((kWidth - 1) / 2.0, (kHeight - 1) / 2.0, 23.0f);
  const TensorPtr expected = *OpenCvWarpAffine(*image, kLayout, m, kHeight, kWidth, Interpolation::kLinear, {7});
  EXPECT_EQ(std::memcmp(turned->data(), expected->data(), expected->nbytes()), 0);
}

}  // namespace
}  // namespace headrace::transforms
