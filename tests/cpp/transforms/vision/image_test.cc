#include "headrace/transforms/vision/image.h"

#include <gtest/gtest.h>

namespace headrace::transforms {
namespace {

TEST(CheckImage, TakesHwcAndHw) {
  TensorPtr hwc = *Tensor::Create(DataType::kUInt8, {4, 5, 3});
  Result<ImageLayout> layout = CheckImage("Resize", *hwc, {DataType::kUInt8});
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->height, 4);
  EXPECT_EQ(layout->width, 5);
  EXPECT_EQ(layout->channels, 3);
  EXPECT_EQ(layout->WithSize(2, 3), (Shape{2, 3, 3}));

  TensorPtr hw = *Tensor::Create(DataType::kFloat32, {4, 5});
  layout = CheckImage("Resize", *hw);
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->channels, 1);
  EXPECT_EQ(layout->WithSize(2, 3), (Shape{2, 3}));
}

TEST(CheckImage, NamesTheTransformAndWhatItGot) {
  TensorPtr wrong_rank = *Tensor::Create(DataType::kFloat64, {3});
  EXPECT_EQ(CheckImage("Resize", *wrong_rank, {DataType::kUInt8, DataType::kFloat32}).status().message(),
            "Resize: expected an image of shape (H, W) or (H, W, C) of uint8 or float32, got "
            "float64 of shape [3]");
  TensorPtr two_channels = *Tensor::Create(DataType::kUInt8, {4, 4, 2});
  EXPECT_EQ(CheckImage("RandomColorAdjust", *two_channels, {DataType::kUInt8}, {3}).status().message(),
            "RandomColorAdjust: expected an image of shape (H, W) or (H, W, C) with 3 channels of "
            "uint8, got uint8 of shape [4, 4, 2]");
  TensorPtr empty = *Tensor::Create(DataType::kUInt8, {0, 4, 3});
  EXPECT_FALSE(CheckImage("Crop", *empty).ok());
}

TEST(OneImageColumn, CountsColumns) {
  TensorList two = {*Tensor::Create(DataType::kUInt8, {1, 1}),
                            *Tensor::Create(DataType::kUInt8, {1, 1})};
  EXPECT_EQ(OneImageColumn("Pad", two).status().message(),
            "Pad: expected one column (the image), got 2");
}

}  // namespace
}  // namespace headrace::transforms
