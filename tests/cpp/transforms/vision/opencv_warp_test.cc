// OpenCvWarpAffine / OpenCvWarpPerspective: OpenCV's cv::warpAffine conventions on images
// small enough to work out by hand (integer pixel centres, nearest rounding half up, taps
// outside the image reading the fill value), and the properties the transforms rely on.
// Comparisons with MindSpore's fixtures and a NumPy model on random images live in
// tests/python/vision/test_mindspore_warp.py.
#include "headrace/transforms/vision/opencv_warp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {
namespace {

TensorPtr MakeU8(Shape shape, const std::vector<uint8_t>& values) {
  TensorPtr t = *Tensor::Create(DataType::kUInt8, std::move(shape));
  EXPECT_EQ(t->nbytes(), static_cast<int64_t>(values.size()));
  std::memcpy(t->mutable_data(), values.data(), t->nbytes());
  return t;
}

std::vector<uint8_t> Values(const TensorPtr& t) { return std::vector<uint8_t>(t->data(), t->data() + t->nbytes()); }

ImageLayout LayoutOf(const Tensor& t) {
  return ImageLayout{t.shape()[0], t.shape()[1], t.rank() == 3 ? t.shape()[2] : 1, t.rank() == 3};
}

TensorPtr Warped(const TensorPtr& image, const AffineMatrix& m, int64_t height, int64_t width,
                 Interpolation interpolation, const std::vector<uint8_t>& fill) {
  Result<TensorPtr> out = OpenCvWarpAffine(*image, LayoutOf(*image), m, height, width, interpolation, fill);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : nullptr;
}

TEST(OpenCvWarpTest, LinearTapsOutsideTheImageReadTheFill) {
  // x2 across: output x samples x / 2; the last one (1.5) is half the last pixel and half
  // the fill (OpenCV's BORDER_CONSTANT, not a clamp to the edge).
  const TensorPtr image = MakeU8({1, 2}, {0, 100});
  const AffineMatrix twice = {2, 0, 0, 0, 1, 0};
  EXPECT_EQ(Values(Warped(image, twice, 1, 4, Interpolation::kLinear, {0})), (std::vector<uint8_t>{0, 50, 100, 50}));
  EXPECT_EQ(Values(Warped(image, twice, 1, 4, Interpolation::kLinear, {200})),
            (std::vector<uint8_t>{0, 50, 100, 150}));
  // AREA is LINEAR in a warp.
  EXPECT_EQ(Values(Warped(image, twice, 1, 4, Interpolation::kArea, {200})), (std::vector<uint8_t>{0, 50, 100, 150}));
}

TEST(OpenCvWarpTest, NearestRoundsHalfUpAndFillsOutside) {
  const TensorPtr image = MakeU8({1, 3}, {10, 20, 30});
  // Samples at 0, 0.5, 1, 1.5, 2, 2.5: halves go up, 3 is outside.
  EXPECT_EQ(Values(Warped(image, {2, 0, 0, 0, 1, 0}, 1, 6, Interpolation::kNearest, {9})),
            (std::vector<uint8_t>{10, 20, 20, 30, 30, 9}));
}

TEST(OpenCvWarpTest, ConstantImagesStayConstantInsideForEveryFilter) {
  // The 15-bit weights of every table entry sum to exactly 32768.
  std::vector<uint8_t> values(20 * 30 * 3, 201);
  const TensorPtr image = MakeU8({20, 30, 3}, values);
  const AffineMatrix turn = RotationMatrix2D(14.5, 9.5, 17.0f);
  for (Interpolation interp : {Interpolation::kLinear, Interpolation::kCubic}) {
    const std::vector<uint8_t> out = Values(Warped(image, turn, 20, 30, interp, {0}));
    for (int64_t y = 6; y < 14; ++y) {
      for (int64_t x = 10; x < 20; ++x) {
        for (int c = 0; c < 3; ++c) EXPECT_EQ(out[(y * 30 + x) * 3 + c], 201) << y << "," << x;
      }
    }
  }
}

TEST(OpenCvWarpTest, RotationMatrixTurnsCounterClockwiseAboutTheCentre) {
  const AffineMatrix m = RotationMatrix2D(4.0, 3.0, 90.0f);
  EXPECT_NEAR(m[0] * 4 + m[1] * 3 + m[2], 4.0, 1e-12);
  EXPECT_NEAR(m[3] * 4 + m[4] * 3 + m[5], 3.0, 1e-12);
  // The point right of the centre goes up (y down on screen).
  EXPECT_NEAR(m[0] * 5 + m[1] * 3 + m[2], 4.0, 1e-12);
  EXPECT_NEAR(m[3] * 5 + m[4] * 3 + m[5], 2.0, 1e-12);
}

TEST(OpenCvWarpTest, PerspectiveTransformMapsTheFourPoints) {
  const Quad from = {{{0, 0}, {30, 0}, {30, 20}, {0, 20}}};
  const Quad to = {{{3, 1}, {28, 4}, {26, 19}, {1, 22}}};
  const PerspectiveMatrix m = *PerspectiveTransform(from, to);
  EXPECT_EQ(m[8], 1.0);
  for (int i = 0; i < 4; ++i) {
    const double w = m[6] * from[i][0] + m[7] * from[i][1] + m[8];
    EXPECT_NEAR((m[0] * from[i][0] + m[1] * from[i][1] + m[2]) / w, to[i][0], 1e-9);
    EXPECT_NEAR((m[3] * from[i][0] + m[4] * from[i][1] + m[5]) / w, to[i][1], 1e-9);
  }
  const Quad collinear = {{{0, 0}, {1, 1}, {2, 2}, {3, 3}}};
  EXPECT_EQ(PerspectiveTransform(collinear, to).status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenCvWarpTest, AnAffinePerspectiveMatchesTheAffineWarp) {
  // Affine warps step in 10-bit fixed point, perspective ones divide in double: the same
  // matrix lands on the same 1/32 pixel but for rare roundings one step away: on a smooth
  // image (at most 5 levels per pixel) within one grey level.
  std::vector<uint8_t> values(17 * 23 * 3);
  for (int y = 0; y < 17; ++y) {
    for (int x = 0; x < 23; ++x) {
      for (int c = 0; c < 3; ++c) values[(y * 23 + x) * 3 + c] = static_cast<uint8_t>(3 * x + (c + 3) * y);
    }
  }
  const TensorPtr image = MakeU8({17, 23, 3}, values);
  const AffineMatrix a = {0.9, -0.2, 2.5, 0.15, 1.1, -1.25};
  const PerspectiveMatrix p = {a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1};
  const std::vector<uint8_t> affine = Values(Warped(image, a, 17, 23, Interpolation::kLinear, {}));
  const std::vector<uint8_t> perspective =
      Values(*OpenCvWarpPerspective(*image, LayoutOf(*image), p, 17, 23, Interpolation::kLinear, {}));
  ASSERT_EQ(affine.size(), perspective.size());
  for (size_t i = 0; i < affine.size(); ++i) EXPECT_LE(std::abs(affine[i] - perspective[i]), 1) << i;
}

TEST(OpenCvWarpTest, RefusesWhatItCannotWarp) {
  const TensorPtr image = MakeU8({2, 2}, {1, 2, 3, 4});
  const AffineMatrix identity = {1, 0, 0, 0, 1, 0};
  const auto pillow = OpenCvWarpAffine(*image, LayoutOf(*image), identity, 2, 2, Interpolation::kPillowBilinear, {});
  EXPECT_EQ(pillow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(pillow.status().message().rfind("OpenCvWarp: ", 0), 0u) << pillow.status().message();
  EXPECT_FALSE(OpenCvWarpAffine(*image, LayoutOf(*image), identity, 0, 2, Interpolation::kLinear, {}).ok());
  const TensorPtr i16 = *Tensor::Create(DataType::kInt16, {2, 2});
  EXPECT_FALSE(OpenCvWarpAffine(*i16, LayoutOf(*i16), identity, 2, 2, Interpolation::kLinear, {}).ok());
  EXPECT_TRUE(OpenCvWarpAffine(*i16, LayoutOf(*i16), identity, 2, 2, Interpolation::kNearest, {}).ok());
  EXPECT_FALSE(OpenCvWarpAffine(*image, LayoutOf(*image), identity, 2, 2, Interpolation::kLinear, {1, 2}).ok());
}

TEST(OpenCvWarpTest, MindSporesFillIsACvScalarOfThreeValuesAndAZero) {
  using Fill = std::vector<uint8_t>;
  EXPECT_EQ(MindSporeWarpFill({9}, 4), (Fill{9, 9, 9, 0}));
  EXPECT_EQ(MindSporeWarpFill({9, 8, 7}, 4), (Fill{9, 8, 7, 0}));
  EXPECT_EQ(MindSporeWarpFill({9, 8, 7}, 1), (Fill{9}));
  EXPECT_EQ(MindSporeWarpFill({9, 8, 7}, 6), (Fill{9, 8, 7, 0, 9, 8}));  // OpenCV repeats the scalar
  EXPECT_EQ(MindSporeWarpFill({1, 2, 3, 4}, 4), (Fill{1, 2, 3, 4}));     // not MindSpore's: per channel
  EXPECT_EQ(MindSporeWarpFill({}, 3), Fill{});                           // zeros, as FillPixel takes it
}

TEST(OpenCvWarpTest, MindSporesAffineMatrixIsAllFloat) {
  // MindSpore 2.10's Affine(-10, [0, 0], 1.2, [0, 10]) on 83 x 61: its cos, sin and tan are
  // the float overloads. In double, entry 1 comes out an ulp lower (0.20837780833...) and
  // the warp's row starts round differently.
  AffineParams p;
  p.angle = -10;
  p.scale = 1.2;
  p.shear_y = 10;
  const AffineMatrix m = MindSporeAffineMatrix(83, 61, p);
  const double expected[6] = {1.145026683807373, 0.20837782323360443, -12.197428703308105,
                              -0.41675564646720886, 1.1817693710327148, 11.633899688720703};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(m[i], expected[i]) << i;
}

}  // namespace
}  // namespace headrace::transforms
