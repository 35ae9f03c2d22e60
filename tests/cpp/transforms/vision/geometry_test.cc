// The geometric kernels' exact properties. Comparisons with Pillow and NumPy on random
// images live in tests/python/vision/test_geometry.py.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <tuple>
#include <vector>

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/flip.h"
#include "headrace/transforms/vision/pad.h"
#include "headrace/transforms/vision/resample.h"
#include "headrace/transforms/vision/resize.h"
#include "headrace/transforms/vision/rotate.h"

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

ImageLayout Layout(const TensorPtr& t) { return *CheckImage("test", *t); }

TEST(ResizeRegion, WholeImageAtItsOwnSizeIsACopy) {
  TensorPtr rgb = RandomU8({7, 5, 3}, 1);
  for (Interpolation interp : {Interpolation::kPillowNearest, Interpolation::kPillowBilinear, Interpolation::kPillowBicubic}) {
    TensorPtr out = *ResizeRegion(*rgb, Layout(rgb), SourceBox{0, 0, 5, 7}, 7, 5, interp);
    EXPECT_EQ(Values<uint8_t>(out), Values<uint8_t>(rgb));
  }
  TensorPtr f = MakeImage<float>(DataType::kFloat32, {2, 2}, {0.5f, -1.0f, 3.25f, 7.0f});
  EXPECT_EQ(Values<float>(*ResizeRegion(*f, Layout(f), SourceBox{0, 0, 2, 2}, 2, 2, Interpolation::kPillowBicubic)),
            Values<float>(f));
}

TEST(ResizeRegion, BilinearUpscaleOfTwoPixelsHasPillowsValues) {
  // Centres 0.25, 0.75, 1.25, 1.75 over [0, 255]: the edges clamp, the middle pixels weigh
  // 3/4 and 1/4, and the 22-bit sums round half up: 63.75 -> 64, 191.25 -> 191.
  TensorPtr row = MakeImage<uint8_t>(DataType::kUInt8, {1, 2}, {0, 255});
  TensorPtr out = *ResizeRegion(*row, Layout(row), SourceBox{0, 0, 2, 1}, 1, 4, Interpolation::kPillowBilinear);
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{0, 64, 191, 255}));
  TensorPtr nearest = *ResizeRegion(*row, Layout(row), SourceBox{0, 0, 2, 1}, 1, 4, Interpolation::kPillowNearest);
  EXPECT_EQ(Values<uint8_t>(nearest), (std::vector<uint8_t>{0, 0, 255, 255}));
}

// Pillow rounds its intermediate image to uint8, so the order of the passes shows: vertical
// first when the height shrinks by more than twice as many pixels as the width.
TEST(ResizeRegion, PassOrderFollowsPillow) {
  for (auto [h, w, oh, ow] : {std::array<int64_t, 4>{64, 48, 20, 30}, std::array<int64_t, 4>{37, 53, 20, 30}}) {
    TensorPtr img = RandomU8({h, w, 3}, 7);
    const ImageLayout layout = Layout(img);
    TensorPtr both = *ResizeRegion(*img, layout, SourceBox{0, 0, double(w), double(h)}, oh, ow,
                                   Interpolation::kPillowBicubic);
    const bool vertical_first = (h - oh) > 2 * (w - ow);
    TensorPtr step;
    if (vertical_first) {
      step = *ResizeRegion(*img, layout, SourceBox{0, 0, double(w), double(h)}, oh, w, Interpolation::kPillowBicubic);
    } else {
      step = *ResizeRegion(*img, layout, SourceBox{0, 0, double(w), double(h)}, h, ow, Interpolation::kPillowBicubic);
    }
    const ImageLayout step_layout = Layout(step);
    TensorPtr two_steps = *ResizeRegion(*step, step_layout,
                                        SourceBox{0, 0, double(step_layout.width), double(step_layout.height)},
                                        oh, ow, Interpolation::kPillowBicubic);
    EXPECT_EQ(Values<uint8_t>(both), Values<uint8_t>(two_steps)) << h << "x" << w;
  }
}

TEST(ResizeRegion, IntegerBoxOfTheOutputSizeIsACrop) {
  TensorPtr img = MakeImage<int16_t>(DataType::kInt16, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  TensorPtr out = *ResizeRegion(*img, Layout(img), SourceBox{1, 1, 3, 3}, 2, 2, Interpolation::kPillowBilinear);
  EXPECT_EQ(Values<int16_t>(out), (std::vector<int16_t>{5, 6, 8, 9}));
}

TEST(ResizeRegion, RejectsBadBoxesSizesAndDtypes) {
  TensorPtr img = RandomU8({4, 6}, 2);
  const ImageLayout layout = Layout(img);
  EXPECT_FALSE(ResizeRegion(*img, layout, SourceBox{0, 0, 6.5, 4}, 2, 2, Interpolation::kPillowBilinear).ok());
  EXPECT_FALSE(ResizeRegion(*img, layout, SourceBox{3, 0, 3, 4}, 2, 2, Interpolation::kPillowBilinear).ok());
  EXPECT_FALSE(ResizeRegion(*img, layout, SourceBox{0, 0, 6, 4}, 0, 2, Interpolation::kPillowBilinear).ok());
  TensorPtr i16 = *Tensor::Create(DataType::kInt16, {4, 4});
  EXPECT_EQ(ResizeRegion(*i16, Layout(i16), SourceBox{0, 0, 3, 3}, 2, 2, Interpolation::kPillowBicubic).status().message(),
            "ResizeRegion: pil_bicubic resampling takes uint8 or float32 images, got int16");
}

TEST(Resize, KeepsTheAspectRatioWithAnIntSize) {
  auto resize = *Resize::KeepAspect(224, Interpolation::kPillowBilinear);
  EXPECT_EQ(resize->OutputSize(375, 500), (std::pair<int64_t, int64_t>{224, 298}));
  EXPECT_EQ(resize->OutputSize(500, 375), (std::pair<int64_t, int64_t>{298, 224}));
  EXPECT_EQ(resize->OutputSize(10, 10), (std::pair<int64_t, int64_t>{224, 224}));
  TensorList columns = {*Tensor::Create(DataType::kInt16, {4, 4})};
  EXPECT_EQ(resize->Compute(&columns, 0).message(),
            "Resize: expected an image of shape (H, W) or (H, W, C) of uint8 or float32, got int16 of shape [4, 4]");
  EXPECT_FALSE(Resize::ToSize(0, 3, Interpolation::kPillowNearest).ok());
}

TEST(ChooseRandomResizedCrop, WindowsLieInsideAndFollowTheRanges) {
  RandomResizedCropParams params;  // scale (0.08, 1), ratio (3/4, 4/3)
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    Random random(seed);
    const CropWindow w = ChooseRandomResizedCrop(random, 375, 500, params);
    ASSERT_GT(w.height, 0);
    ASSERT_GT(w.width, 0);
    ASSERT_GE(w.top, 0);
    ASSERT_GE(w.left, 0);
    ASSERT_LE(w.top + w.height, 375);
    ASSERT_LE(w.left + w.width, 500);
    // Rounding the sides moves area and ratio a little past the drawn values.
    const double area = double(w.height) * w.width / (375.0 * 500.0);
    EXPECT_GE(area, 0.08 * 0.9) << seed;
    const double ratio = double(w.width) / w.height;
    EXPECT_GE(ratio, 0.75 * (w.width - 0.5) / (w.width + 0.5) * (w.height - 0.5) / (w.height + 0.5)) << seed;
    EXPECT_LE(ratio, 4.0 / 3.0 * (w.width + 0.5) / (w.width - 0.5) * (w.height + 0.5) / (w.height - 0.5)) << seed;
  }
}

TEST(ChooseRandomResizedCrop, SameSeedSameWindow) {
  RandomResizedCropParams params;
  int differing = 0;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Random a(seed), b(seed), c(seed + 1000);
    const CropWindow wa = ChooseRandomResizedCrop(a, 300, 200, params);
    const CropWindow wb = ChooseRandomResizedCrop(b, 300, 200, params);
    const CropWindow wc = ChooseRandomResizedCrop(c, 300, 200, params);
    EXPECT_EQ(std::tie(wa.top, wa.left, wa.height, wa.width), std::tie(wb.top, wb.left, wb.height, wb.width));
    differing += std::tie(wa.top, wa.left, wa.height, wa.width) != std::tie(wc.top, wc.left, wc.height, wc.width);
  }
  EXPECT_GT(differing, 40);
}

TEST(ChooseRandomResizedCrop, FallsBackToACentredCropOfTheNearestRatio) {
  RandomResizedCropParams params;
  params.scale_min = 2.0;  // no draw can fit
  params.scale_max = 3.0;
  Random random(1);
  const CropWindow wide = ChooseRandomResizedCrop(random, 100, 300, params);
  EXPECT_EQ(std::tie(wide.top, wide.left, wide.height, wide.width), std::make_tuple(0, 83, 100, 133));
  const CropWindow tall = ChooseRandomResizedCrop(random, 300, 100, params);
  EXPECT_EQ(std::tie(tall.top, tall.left, tall.height, tall.width), std::make_tuple(83, 0, 133, 100));
  params.scale_min = params.scale_max = 1.0;
  params.ratio_min = params.ratio_max = 0.5;
  const CropWindow whole = ChooseRandomResizedCrop(random, 40, 20, params);
  EXPECT_EQ(std::tie(whole.top, whole.left, whole.height, whole.width), std::make_tuple(0, 0, 40, 20));
}

TEST(Flip, MirrorsAnyDtypeExactly) {
  TensorPtr img = MakeImage<int16_t>(DataType::kInt16, {2, 3, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  EXPECT_EQ(Values<int16_t>(*FlipHorizontal(*img, Layout(img))),
            (std::vector<int16_t>{5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8}));
  EXPECT_EQ(Values<int16_t>(*FlipVertical(*img, Layout(img))),
            (std::vector<int16_t>{7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}));
}

TEST(Flip, RandomFlipThatDoesNotFlipKeepsItsInput) {
  TensorPtr img = RandomU8({3, 4, 3}, 3);
  TensorList columns = {img};
  ASSERT_TRUE((*RandomHorizontalFlip::Make(0.0))->Compute(&columns, 5).ok());
  EXPECT_EQ(columns[0], img);
  ASSERT_TRUE((*RandomVerticalFlip::Make(1.0))->Compute(&columns, 5).ok());
  EXPECT_EQ(Values<uint8_t>(columns[0]), Values<uint8_t>(*FlipVertical(*img, Layout(img))));
  EXPECT_FALSE(RandomHorizontalFlip::Make(1.5).ok());
}

TEST(Pad, ModesMatchNumpyPad) {
  // np.pad([1, 2, 3], (2, 4), mode) for each mode; reflection repeats past a whole length.
  TensorPtr row = MakeImage<uint8_t>(DataType::kUInt8, {1, 3}, {1, 2, 3});
  const Padding padding{2, 0, 4, 0};
  auto pad = [&](BorderMode mode) { return Values<uint8_t>(*PadImage(*row, Layout(row), padding, mode, {9})); };
  EXPECT_EQ(pad(BorderMode::kConstant), (std::vector<uint8_t>{9, 9, 1, 2, 3, 9, 9, 9, 9}));
  EXPECT_EQ(pad(BorderMode::kEdge), (std::vector<uint8_t>{1, 1, 1, 2, 3, 3, 3, 3, 3}));
  EXPECT_EQ(pad(BorderMode::kReflect), (std::vector<uint8_t>{3, 2, 1, 2, 3, 2, 1, 2, 3}));
  EXPECT_EQ(pad(BorderMode::kSymmetric), (std::vector<uint8_t>{2, 1, 1, 2, 3, 3, 2, 1, 1}));
}

TEST(Pad, FillsEveryChannelOrEachItsOwn) {
  TensorPtr img = *Tensor::Create(DataType::kFloat32, {1, 1, 3});
  std::memset(img->mutable_data(), 0, img->nbytes());
  TensorPtr out = *PadImage(*img, Layout(img), Padding{1, 0, 0, 0}, BorderMode::kConstant, {10, 20, 30});
  EXPECT_EQ(Values<float>(out), (std::vector<float>{10, 20, 30, 0, 0, 0}));
  EXPECT_EQ(PadImage(*img, Layout(img), Padding{1, 0, 0, 0}, BorderMode::kConstant, {1, 2}).status().message(),
            "fill_value has 2 values but the image has 3 channels");
  TensorList columns = {img};
  auto op = *Pad::Make(Padding{1, 1, 1, 1}, {1, 2}, BorderMode::kConstant);
  EXPECT_EQ(op->Compute(&columns, 0).message(), "Pad: fill_value has 2 values but the image has 3 channels");
}

TEST(Crop, CopiesTheWindowOrSaysItDoesNotFit) {
  TensorPtr img = MakeImage<uint8_t>(DataType::kUInt8, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  TensorList columns = {img};
  ASSERT_TRUE((*Crop::Make(CropWindow{1, 0, 2, 2}))->Compute(&columns, 0).ok());
  EXPECT_EQ(Values<uint8_t>(columns[0]), (std::vector<uint8_t>{4, 5, 7, 8}));
  columns = {img};
  EXPECT_EQ((*Crop::Make(CropWindow{2, 2, 2, 1}))->Compute(&columns, 0).message(),
            "Crop: the window (top=2, left=2, height=2, width=1) does not fit in the image of shape [3, 3]");
}

TEST(CenterCrop, TorchvisionRoundsOffsetsHalfToEvenAndPadsTheOddPixelLast) {
  TensorPtr img = MakeImage<uint8_t>(DataType::kUInt8, {1, 6}, {1, 2, 3, 4, 5, 6});
  TensorList columns = {img};
  ASSERT_TRUE((*CenterCrop::Make(1, 3, CenterOffsets::kTorchvision))->Compute(&columns, 0).ok());  // 1.5 -> 2
  EXPECT_EQ(Values<uint8_t>(columns[0]), (std::vector<uint8_t>{3, 4, 5}));
  columns = {img};
  ASSERT_TRUE((*CenterCrop::Make(2, 9, CenterOffsets::kTorchvision))->Compute(&columns, 0).ok());
  // 1 + 2 columns, 0 + 1 rows
  EXPECT_EQ(Values<uint8_t>(columns[0]),
            (std::vector<uint8_t>{0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(CenterCrop, MindSporeFloorsOffsetsAndPadsTheOddPixelFirst) {
  TensorPtr img = MakeImage<uint8_t>(DataType::kUInt8, {1, 6}, {1, 2, 3, 4, 5, 6});
  TensorList columns = {img};
  ASSERT_TRUE((*CenterCrop::Make(1, 3, CenterOffsets::kMindSpore))->Compute(&columns, 0).ok());  // 1.5 -> 1
  EXPECT_EQ(Values<uint8_t>(columns[0]), (std::vector<uint8_t>{2, 3, 4}));
  columns = {img};
  ASSERT_TRUE((*CenterCrop::Make(2, 9, CenterOffsets::kMindSpore))->Compute(&columns, 0).ok());
  // 2 + 1 columns, 1 + 0 rows
  EXPECT_EQ(Values<uint8_t>(columns[0]),
            (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0}));
}

TEST(RandomCrop, WindowsStayInsideThePaddedImage) {
  TensorPtr img = RandomU8({5, 4}, 4);
  auto op = *RandomCrop::Make(6, 6, Padding{}, /*pad_if_needed=*/true, {}, BorderMode::kEdge);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    TensorList columns = {img};
    ASSERT_TRUE(op->Compute(&columns, seed).ok());
    EXPECT_EQ(columns[0]->shape(), (Shape{6, 6}));
  }
  auto no_pad = *RandomCrop::Make(6, 6, Padding{}, false, {}, BorderMode::kConstant);
  TensorList columns = {img};
  EXPECT_EQ(no_pad->Compute(&columns, 0).message(),
            "RandomCrop: the crop size (6, 6) is larger than the image of shape [5, 4]; pass "
            "pad_if_needed=True to pad it");
}

TEST(Rotate, QuarterTurnsAreExactMoves) {
  TensorPtr img = MakeImage<uint8_t>(DataType::kUInt8, {2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(Values<uint8_t>(*RotateQuarterTurns(*img, Layout(img), 1)), (std::vector<uint8_t>{3, 6, 2, 5, 1, 4}));
  EXPECT_EQ(Values<uint8_t>(*RotateQuarterTurns(*img, Layout(img), 2)), (std::vector<uint8_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(Values<uint8_t>(*RotateQuarterTurns(*img, Layout(img), 3)), (std::vector<uint8_t>{4, 1, 5, 2, 6, 3}));
  // Pillow's rotations by quarter turns are exact moves, and a whole turn no copy.
  RotateOptions pillow;
  pillow.interpolation = Interpolation::kPillowNearest;
  RotateOptions expand = pillow;
  expand.expand = true;
  TensorPtr turned = *RotateImage(img, Layout(img), 90.0, expand);
  EXPECT_EQ(turned->shape(), (Shape{3, 2}));
  EXPECT_EQ(Values<uint8_t>(turned), (std::vector<uint8_t>{3, 6, 2, 5, 1, 4}));
  EXPECT_EQ(*RotateImage(img, Layout(img), -720.0, pillow), img);  // no copy
  // MindSpore's (OpenCV's) quarter turn about ((w - 1) / 2, (h - 1) / 2) lands on the same pixels.
  expand.interpolation = Interpolation::kNearest;
  turned = *RotateImage(img, Layout(img), 90.0, expand);
  EXPECT_EQ(turned->shape(), (Shape{3, 2}));
  EXPECT_EQ(Values<uint8_t>(turned), (std::vector<uint8_t>{3, 6, 2, 5, 1, 4}));
}

TEST(WarpAffine, IdentityKeepsTheImageAndOutsideGetsTheFill) {
  TensorPtr img = RandomU8({4, 5, 3}, 6);
  for (Interpolation interp : {Interpolation::kPillowNearest, Interpolation::kPillowBilinear, Interpolation::kPillowBicubic}) {
    TensorPtr same = *WarpAffine(*img, Layout(img), {1, 0, 0, 0, 1, 0}, 4, 5, interp, {});
    EXPECT_EQ(Values<uint8_t>(same), Values<uint8_t>(img));
  }
  // Shifted right by 5: every sample falls left of the image.
  TensorPtr out = *WarpAffine(*img, Layout(img), {1, 0, -5, 0, 1, 0}, 1, 1, Interpolation::kPillowBilinear, {7, 8, 9});
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{7, 8, 9}));
  TensorPtr i16 = *Tensor::Create(DataType::kInt16, {2, 2});
  EXPECT_FALSE(WarpAffine(*i16, Layout(i16), {1, 0, 0, 0, 1, 0}, 2, 2, Interpolation::kPillowBilinear, {}).ok());
}

TEST(InverseAffineMatrix, InvertsRotationScaleAndTranslation) {
  const auto identity = InverseAffineMatrix(10, 20, AffineParams{});
  for (int i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(identity[i], (std::array<double, 6>{1, 0, 0, 0, 1, 0})[i]);
  AffineParams params;
  params.angle = 90;
  params.scale = 2;
  params.translate_x = 3;
  const auto m = InverseAffineMatrix(0, 0, params);
  // Forward: (x, y) -> 2 * R(90 clockwise) (x, y) + (3, 0); the inverse maps (3, 2) to (1, 0).
  EXPECT_NEAR(m[0] * 3 + m[1] * 2 + m[2], 1.0, 1e-12);
  EXPECT_NEAR(m[3] * 3 + m[4] * 2 + m[5], 0.0, 1e-12);
  EXPECT_TRUE(Affine::Make(params, Interpolation::kPillowNearest, {}).ok());
  params.scale = 0;
  EXPECT_FALSE(Affine::Make(params, Interpolation::kPillowNearest, {}).ok());
}

}  // namespace
}  // namespace headrace::transforms
