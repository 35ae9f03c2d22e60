#include "headrace/core/float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace headrace {
namespace {

TEST(Float16Test, ExactValuesRoundTrip) {
  for (float value : {0.0f, 1.0f, -2.5f, 65504.0f, std::ldexp(1.0f, -14), std::ldexp(1.0f, -24),
                      std::ldexp(3.0f, -20), 1025.0f}) {
    EXPECT_EQ(HalfToFloat(FloatToHalf(value)), value) << value;
  }
  EXPECT_EQ(FloatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xC000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7BFF);
}

TEST(Float16Test, RoundsToNearestEven) {
  // 2049 lies halfway between 2048 and 2050 in half precision: ties go to even (2048).
  EXPECT_EQ(HalfToFloat(FloatToHalf(2049.0f)), 2048.0f);
  EXPECT_EQ(HalfToFloat(FloatToHalf(2051.0f)), 2052.0f);
  EXPECT_EQ(HalfToFloat(FloatToHalf(0.1f)), 0.0999755859375f);
}

TEST(Float16Test, SpecialValues) {
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(FloatToHalf(1e6f), 0x7C00) << "overflow becomes infinity";
  EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(std::nanf("")))));
  EXPECT_TRUE(std::isinf(HalfToFloat(0xFC00)));
  EXPECT_EQ(HalfToFloat(0x8000), -0.0f);
  EXPECT_EQ(FloatToHalf(1e-9f), 0) << "underflow becomes zero";
}

}  // namespace
}  // namespace headrace
