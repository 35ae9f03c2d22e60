// RandomAffine and RandomPerspective: every draw lies in its range, the same seed draws
// the same parameters, and the arguments are checked with errors naming them.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/perspective.h"

namespace headrace::transforms {
namespace {

TEST(RandomAffineTest, DrawsEachParameterInItsRange) {
  RandomAffineRanges r;
  r.degrees_min = -30, r.degrees_max = 400;
  r.translate_x_min = -0.25, r.translate_x_max = 0.5, r.translate_y_min = 0.1, r.translate_y_max = 0.2;
  r.scale_min = 0.5, r.scale_max = 1.5;
  r.shear_x_min = -10, r.shear_x_max = 10, r.shear_y_min = 3, r.shear_y_max = 4;
  const auto op = *RandomAffine::Make(r, Interpolation::kLinear, {});
  std::set<double> angles;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const AffineParams p = op->Draw(seed, 40, 30);
    EXPECT_GT(p.angle, -360.0);
    EXPECT_LT(p.angle, 360.0);  // taken modulo 360
    EXPECT_GE(p.translate_x, -10.0);
    EXPECT_LE(p.translate_x, 20.0);  // pixels: the fraction times the width
    EXPECT_GE(p.translate_y, 3.0 - 1e-5);
    EXPECT_LE(p.translate_y, 6.0 + 1e-5);
    EXPECT_GE(p.scale, 0.5);
    EXPECT_LE(p.scale, 1.5);
    EXPECT_GE(p.shear_x, -10.0);
    EXPECT_LE(p.shear_x, 10.0);
    EXPECT_GE(p.shear_y, 3.0);
    EXPECT_LE(p.shear_y, 4.0);
    const AffineParams again = op->Draw(seed, 40, 30);
    EXPECT_EQ(again.angle, p.angle);
    EXPECT_EQ(again.shear_y, p.shear_y);
    angles.insert(p.angle);
  }
  EXPECT_EQ(angles.size(), 200u);
}

TEST(RandomAffineTest, RangesMustBeOrderedAndScalesNotNegative) {
  RandomAffineRanges r;
  r.shear_y_min = 2, r.shear_y_max = 1;
  const auto unordered = RandomAffine::Make(r, Interpolation::kNearest, {});
  EXPECT_EQ(unordered.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unordered.status().message().rfind("RandomAffine: the shear y range must be (min, max)", 0), 0u)
      << unordered.status().message();
  RandomAffineRanges negative;
  negative.scale_min = -1;
  EXPECT_FALSE(RandomAffine::Make(negative, Interpolation::kNearest, {}).ok());
}

TEST(RandomPerspectiveTest, CornersMoveInwardsByAtMostTheScale) {
  // 41 x 30: half the width 20, half the height 15; distortion 0.5 moves corners by at
  // most 10 and 7 pixels.
  std::set<double> top_left_x;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Random random(seed);
    const Quad c = RandomPerspectiveCorners(41, 30, 0.5, &random);
    for (const auto& [x, y] : c) {
      EXPECT_EQ(x, std::floor(x));
      EXPECT_EQ(y, std::floor(y));
    }
    EXPECT_TRUE(c[0][0] >= 0 && c[0][0] <= 10 && c[0][1] >= 0 && c[0][1] <= 7);
    EXPECT_TRUE(c[1][0] >= 30 && c[1][0] <= 40 && c[1][1] >= 0 && c[1][1] <= 7);
    EXPECT_TRUE(c[2][0] >= 30 && c[2][0] <= 40 && c[2][1] >= 22 && c[2][1] <= 29);
    EXPECT_TRUE(c[3][0] >= 0 && c[3][0] <= 10 && c[3][1] >= 22 && c[3][1] <= 29);
    top_left_x.insert(c[0][0]);
  }
  EXPECT_EQ(top_left_x.size(), 11u);  // every whole pixel from 0 to 10 is drawn
}

TEST(RandomPerspectiveTest, ArgumentsAreChecked) {
  EXPECT_EQ(RandomPerspective::Make(1.5, 0.5, Interpolation::kLinear).status().message(),
            "RandomPerspective: distortion_scale must be in [0, 1], got 1.500000");
  EXPECT_EQ(RandomPerspective::Make(0.5, -1, Interpolation::kLinear).status().message(),
            "RandomPerspective: prob must be in [0, 1], got -1.000000");
  EXPECT_FALSE(RandomPerspective::Make(0.5, 0.5, Interpolation::kPillowBicubic).ok());
  const Quad square = {{{0, 0}, {9, 0}, {9, 9}, {0, 9}}};
  EXPECT_TRUE(Perspective::Make(square, square, Interpolation::kCubic).ok());
  const Quad line = {{{0, 0}, {1, 1}, {2, 2}, {3, 3}}};
  const auto singular = Perspective::Make(line, square, Interpolation::kCubic);
  EXPECT_EQ(singular.status().message().rfind("Perspective: the perspective transform is singular", 0), 0u)
      << singular.status().message();
}

}  // namespace
}  // namespace headrace::transforms
