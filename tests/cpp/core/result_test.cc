#include "headrace/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace headrace {
namespace {

Result<int> ParsePositive(const std::string& text) {
  int value = 0;
  try {
    value = std::stoi(text);
  } catch (const std::exception&) {
    return Status::InvalidArgument("not a number: '" + text + "'");
  }
  if (value <= 0) return Status::OutOfRange("not positive: " + text);
  return value;
}

Result<int> SumOfTwo(const std::string& a, const std::string& b) {
  ASSIGN_OR_RETURN(int x, ParsePositive(a));
  ASSIGN_OR_RETURN(int y, ParsePositive(b));
  return x + y;
}

TEST(ResultTest, HoldsAValue) {
  Result<int> result = ParsePositive("42");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.status().ok());
  EXPECT_EQ(*result, 42);
  EXPECT_EQ(result.value(), 42);
}

TEST(ResultTest, HoldsAnError) {
  Result<int> result = ParsePositive("abc");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "not a number: 'abc'");
  EXPECT_EQ(result.ValueOr(-1), -1);
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternalError) {
  Result<int> result(Status::OK());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*SumOfTwo("2", "3"), 5);
  EXPECT_EQ(SumOfTwo("x", "-1").status().message(), "not a number: 'x'");
  EXPECT_EQ(SumOfTwo("1", "-1").status().code(), StatusCode::kOutOfRange);
}

TEST(ResultTest, MovesOnlyTypes) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> owned = std::move(result).value();
  EXPECT_EQ(*owned, 7);
}

TEST(ResultTest, ConvertsFromCompatibleValue) {
  Result<std::string> result = "text";
  EXPECT_EQ(*result, "text");
  EXPECT_EQ(result->size(), 4u);
}

TEST(ResultDeathTest, ValueOfAnErrorAborts) {
  Result<int> result = Status::NotFound("missing");
  EXPECT_DEATH((void)result.value(), "NOT_FOUND: missing");
}

}  // namespace
}  // namespace headrace

namespace headrace {
namespace {

Result<std::vector<int>> MakeVector() { return std::vector<int>{1, 2, 3}; }

TEST(ResultTest, RangeForOverATemporaryResultIsSafe) {
  int sum = 0;
  for (int x : *MakeVector()) sum += x;
  EXPECT_EQ(sum, 6);
}

}  // namespace
}  // namespace headrace
