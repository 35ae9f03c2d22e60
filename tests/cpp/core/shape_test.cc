#include "headrace/core/shape.h"

#include <gtest/gtest.h>

namespace headrace {
namespace {

TEST(ShapeTest, HoldsItsDimensions) {
  Shape shape{2, 3, 4};
  EXPECT_EQ(shape.size(), 3u);
  EXPECT_EQ(shape[1], 3);
  EXPECT_EQ(shape.front(), 2);
  EXPECT_EQ(shape.back(), 4);
  EXPECT_EQ(ShapeToString(shape), "[2, 3, 4]");
  EXPECT_TRUE(Shape{}.empty());
  EXPECT_EQ(ShapeToString(Shape{}), "[]");
}

TEST(ShapeTest, GrowsPastTheInlineRank) {
  Shape shape;
  for (int64_t i = 1; i <= 9; ++i) shape.push_back(i);
  ASSERT_EQ(shape.size(), 9u);
  for (int64_t i = 0; i < 9; ++i) EXPECT_EQ(shape[i], i + 1);
  Shape copy = shape;
  EXPECT_EQ(copy, shape);
  copy[8] = 0;
  EXPECT_NE(copy, shape);
}

TEST(ShapeTest, PushFrontAddsTheBatchDimension) {
  Shape shape{16};
  shape.push_front(64);
  EXPECT_EQ(shape, (Shape{64, 16}));
  Shape wide{1, 2, 3, 4, 5, 6};
  wide.push_front(0);
  EXPECT_EQ(wide, (Shape{0, 1, 2, 3, 4, 5, 6}));
}

TEST(ShapeTest, ComparesByValueAndConvertsToVector) {
  EXPECT_EQ((Shape{1, 2}), Shape(std::vector<int64_t>{1, 2}));
  EXPECT_NE((Shape{1, 2}), (Shape{1, 2, 1}));
  EXPECT_EQ((Shape{5, 6}).ToVector(), (std::vector<int64_t>{5, 6}));
}

}  // namespace
}  // namespace headrace
