#include "headrace/transforms/type_cast.h"

#include <gtest/gtest.h>

#include <cstring>

#include "../core/tensor_test_util.h"

namespace headrace::transforms {
namespace {

using testing::Vector;

TEST(TypeCastTest, CastsItsColumn) {
  TypeCast cast(DataType::kFloat64);
  TensorList column = {Vector<int32_t>(DataType::kInt32, {-3, 4})};
  ASSERT_TRUE(cast.Compute(&column, 0).ok());
  EXPECT_EQ(column[0]->dtype(), DataType::kFloat64);
  EXPECT_EQ(column[0]->data_as<double>()[0], -3.0);
  EXPECT_EQ(column[0]->data_as<double>()[1], 4.0);
}

TEST(TypeCastTest, ErrorsNameTheProblem) {
  EXPECT_EQ(TypeCast::Make(DataType::kString).status().message(),
            "TypeCast: data_type must be a numeric or bool type, got string");
  TypeCast cast(DataType::kFloat32);
  TensorList two = {Vector<int32_t>(DataType::kInt32, {1}), Vector<int32_t>(DataType::kInt32, {2})};
  EXPECT_EQ(cast.Compute(&two, 0).message(), "TypeCast takes one column, got 2");
  TensorList words = {*Tensor::FromStrings(DataType::kString, {1}, {"a"})};
  const Status status = cast.Compute(&words, 0);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("TypeCast: cannot cast a string tensor", 0), 0u) << status.message();
}

}  // namespace
}  // namespace headrace::transforms
