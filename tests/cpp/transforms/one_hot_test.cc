// OneHot: labels to one-hot rows in the labels' dtype, smoothed rows in float64, and the
// errors that name the argument or the label at fault.
#include "headrace/transforms/one_hot.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "../core/tensor_test_util.h"

namespace headrace::transforms {
namespace {

using testing::Vector;

template <typename T>
std::vector<T> Values(const TensorPtr& tensor) {
  const T* data = tensor->data_as<T>();
  return std::vector<T>(data, data + tensor->num_elements());
}

TensorPtr OneHotOf(int64_t num_classes, double smoothing_rate, TensorPtr labels) {
  auto op = OneHot::Make(num_classes, smoothing_rate);
  EXPECT_TRUE(op.ok()) << op.status().ToString();
  TensorList columns = {std::move(labels)};
  const Status status = (*op)->Compute(&columns, 0);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(columns.size(), 1u);
  return columns.front();
}

TEST(OneHotTest, AScalarLabelBecomesARow) {
  const TensorPtr out = OneHotOf(4, 0.0, *Tensor::Scalar<int32_t>(DataType::kInt32, 2));
  EXPECT_EQ(out->dtype(), DataType::kInt32);
  EXPECT_EQ(out->shape(), (Shape{4}));
  EXPECT_EQ(Values<int32_t>(out), (std::vector<int32_t>{0, 0, 1, 0}));
}

TEST(OneHotTest, ALabelArrayBecomesOneRowPerLabelInItsOwnDtype) {
  const TensorPtr out = OneHotOf(3, 0.0, Vector<uint8_t>(DataType::kUInt8, {2, 0, 0, 1}));
  EXPECT_EQ(out->dtype(), DataType::kUInt8);
  EXPECT_EQ(out->shape(), (Shape{4, 3}));
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0}));

  const TensorPtr wide = OneHotOf(2, 0.0, Vector<int64_t>(DataType::kInt64, {1, 0}));
  EXPECT_EQ(wide->dtype(), DataType::kInt64);
  EXPECT_EQ(Values<int64_t>(wide), (std::vector<int64_t>{0, 1, 1, 0}));
  const TensorPtr unsigned_wide = OneHotOf(2, 0.0, Vector<uint64_t>(DataType::kUInt64, {1}));
  EXPECT_EQ(unsigned_wide->dtype(), DataType::kUInt64);
  EXPECT_EQ(Values<uint64_t>(unsigned_wide), (std::vector<uint64_t>{0, 1}));
}

TEST(OneHotTest, AnEmptyLabelArrayGivesNoRows) {
  const TensorPtr out = OneHotOf(5, 0.0, Vector<int16_t>(DataType::kInt16, {}));
  EXPECT_EQ(out->dtype(), DataType::kInt16);
  EXPECT_EQ(out->shape(), (Shape{0, 5}));
}

TEST(OneHotTest, SmoothingGivesFloat64RowsThatSumToOne) {
  // rate 0.2 over 4 classes: 1 - 0.2 + 0.05 = 0.85 at the label, 0.05 elsewhere.
  const TensorPtr out = OneHotOf(4, 0.2, Vector<int32_t>(DataType::kInt32, {3, 0}));
  EXPECT_EQ(out->dtype(), DataType::kFloat64);
  EXPECT_EQ(out->shape(), (Shape{2, 4}));
  const std::vector<double> values = Values<double>(out);
  const std::vector<double> expected = {0.05, 0.05, 0.05, 0.85, 0.85, 0.05, 0.05, 0.05};
  ASSERT_EQ(values.size(), expected.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_DOUBLE_EQ(values[i], expected[i]) << "element " << i;
  // A rate of 1 spreads the label evenly.
  EXPECT_EQ(Values<double>(OneHotOf(4, 1.0, *Tensor::Scalar<int32_t>(DataType::kInt32, 1))),
            (std::vector<double>{0.25, 0.25, 0.25, 0.25}));
}

TEST(OneHotTest, BadArgumentsAreErrorsNamingThem) {
  EXPECT_EQ(OneHot::Make(0, 0.0).status().message(), "OneHot: num_classes must be positive, got 0");
  EXPECT_EQ(OneHot::Make(-3, 0.0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OneHot::Make(3, 1.5).status().message(), "OneHot: smoothing_rate must be in [0, 1], got 1.500000");
  EXPECT_EQ(OneHot::Make(3, -0.1).status().code(), StatusCode::kInvalidArgument);
}

TEST(OneHotTest, BadInputIsAnErrorSayingWhatItGot) {
  OneHot op(3, 0.0);
  TensorList outside = {Vector<int32_t>(DataType::kInt32, {0, 3})};
  Status status = op.Compute(&outside, 0);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "OneHot: label 3 is outside [0, 3)");
  TensorList negative = {*Tensor::Scalar<int64_t>(DataType::kInt64, -1)};
  EXPECT_EQ(op.Compute(&negative, 0).message(), "OneHot: label -1 is outside [0, 3)");

  TensorList floats = {Vector<float>(DataType::kFloat32, {1.0f})};
  EXPECT_EQ(op.Compute(&floats, 0).message(),
            "OneHot: expected integer labels, a scalar or a 1-D array, got float32 of shape [1]");
  TensorList matrix = {*Tensor::Create(DataType::kInt32, {2, 2})};
  EXPECT_EQ(op.Compute(&matrix, 0).message(),
            "OneHot: expected integer labels, a scalar or a 1-D array, got int32 of shape [2, 2]");
  TensorList two = {Vector<int32_t>(DataType::kInt32, {1}), Vector<int32_t>(DataType::kInt32, {2})};
  EXPECT_EQ(op.Compute(&two, 0).message(), "OneHot: expected one column (the labels), got 2");
}

}  // namespace
}  // namespace headrace::transforms
