#include "headrace/engine/padding.h"

#include <gtest/gtest.h>

#include <cstring>

namespace headrace::engine {
namespace {

TensorRow IntRow(Shape shape, int32_t start) {
  TensorPtr tensor = *Tensor::Create(DataType::kInt32, shape);
  auto* values = reinterpret_cast<int32_t*>(tensor->mutable_data());
  for (int64_t i = 0; i < tensor->num_elements(); ++i) values[i] = start + static_cast<int32_t>(i);
  return TensorRow(0, {tensor});
}

std::vector<int32_t> Values(const TensorPtr& tensor) {
  const auto* data = tensor->data_as<int32_t>();
  return std::vector<int32_t>(data, data + tensor->num_elements());
}

TEST(PaddingTest, PadsToTheLongestWithTheValue) {
  PadSpec spec{true, {}, -1, ""};
  TensorPtr batch = *StackPadded({IntRow({2}, 1), IntRow({3}, 10)}, 0, spec, "x");
  EXPECT_EQ(batch->shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(batch), (std::vector<int32_t>{1, 2, -1, 10, 11, 12}));
}

TEST(PaddingTest, PadsEveryDimensionOfMatrices) {
  PadSpec spec{true, {3, -1}, 0, ""};
  TensorPtr batch = *StackPadded({IntRow({1, 2}, 1), IntRow({2, 1}, 5)}, 0, spec, "x");
  EXPECT_EQ(batch->shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(Values(batch), (std::vector<int32_t>{1, 2, 0, 0, 0, 0, 5, 0, 6, 0, 0, 0}));
}

TEST(PaddingTest, StringsPadWithTheText) {
  TensorRow a(0, {*Tensor::FromStrings(DataType::kString, {1}, {"a"})});
  TensorRow b(0, {*Tensor::FromStrings(DataType::kString, {2}, {"b", "c"})});
  TensorPtr batch = *StackPadded({a, b}, 0, PadSpec{true, {}, 0, "<pad>"}, "words");
  EXPECT_EQ(batch->shape(), (Shape{2, 2}));
  EXPECT_EQ(batch->StringAt(1), "<pad>");
  EXPECT_EQ(batch->StringAt(3), "c");
}

TEST(PaddingTest, ATooSmallTargetCutsTheRows) {
  // MindSpore cuts a row to the pad shape: here (2, 3) and (1, 1) rows to (1, 2).
  PadSpec spec{true, {1, 2}, -1, ""};
  TensorPtr batch = *StackPadded({IntRow({2, 3}, 1), IntRow({1, 1}, 7)}, 0, spec, "x");
  EXPECT_EQ(batch->shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(Values(batch), (std::vector<int32_t>{1, 2, 7, -1}));
}

TEST(PaddingTest, ATooSmallTargetCutsStrings) {
  TensorRow a(0, {*Tensor::FromStrings(DataType::kString, {3}, {"a", "b", "c"})});
  TensorPtr batch = *StackPadded({a}, 0, PadSpec{true, {2}, 0, ""}, "words");
  EXPECT_EQ(batch->shape(), (Shape{1, 2}));
  EXPECT_EQ(batch->StringAt(1), "b");
}

TEST(PaddingTest, ARankMismatchNamesTheColumn) {
  Result<TensorPtr> batch = StackPadded({IntRow({4}, 0)}, 0, PadSpec{true, {2, 2}, 0, ""}, "tokens");
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("column 'tokens'"), std::string::npos);
}

}  // namespace
}  // namespace headrace::engine
