#include "headrace/core/cast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "headrace/core/float16.h"

#include "tensor_test_util.h"

namespace headrace {
namespace {

using testing::Vector;

TEST(CastTensorTest, IntToFloatAndBack) {
  TensorPtr ints = Vector<int32_t>(DataType::kInt32, {-3, 0, 7});
  TensorPtr floats = *CastTensor(ints, DataType::kFloat32);
  EXPECT_EQ(floats->dtype(), DataType::kFloat32);
  EXPECT_EQ(floats->shape(), ints->shape());
  EXPECT_EQ(floats->data_as<float>()[0], -3.0f);
  TensorPtr back = *CastTensor(Vector<double>(DataType::kFloat64, {2.9, -2.9}), DataType::kInt64);
  EXPECT_EQ(back->data_as<int64_t>()[0], 2) << "truncates toward zero, as astype";
  EXPECT_EQ(back->data_as<int64_t>()[1], -2);
}

TEST(CastTensorTest, SaturatesAndMapsNanToZero) {
  TensorPtr out = *CastTensor(Vector<float>(DataType::kFloat32, {1e10f, -1e10f, std::nanf("")}),
                              DataType::kInt8);
  EXPECT_EQ(out->data_as<int8_t>()[0], 127);
  EXPECT_EQ(out->data_as<int8_t>()[1], -128);
  EXPECT_EQ(out->data_as<int8_t>()[2], 0);
}

TEST(CastTensorTest, BoolAndFloat16) {
  TensorPtr flags = *CastTensor(Vector<int16_t>(DataType::kInt16, {0, 5, -1}), DataType::kBool);
  EXPECT_EQ(flags->data_as<bool>()[0], false);
  EXPECT_EQ(flags->data_as<bool>()[1], true);
  TensorPtr halves = *CastTensor(Vector<float>(DataType::kFloat32, {1.5f, 2049.0f}), DataType::kFloat16);
  EXPECT_EQ(HalfToFloat(halves->data_as<uint16_t>()[0]), 1.5f);
  EXPECT_EQ(HalfToFloat(halves->data_as<uint16_t>()[1]), 2048.0f);
  TensorPtr widened = *CastTensor(halves, DataType::kFloat64);
  EXPECT_EQ(widened->data_as<double>()[0], 1.5);
}

TEST(CastTensorTest, SameTypeIsTheSameTensor) {
  TensorPtr ints = Vector<int32_t>(DataType::kInt32, {1});
  EXPECT_EQ(*CastTensor(ints, DataType::kInt32), ints);
}

TEST(CastTensorTest, StringsAreRefusedByName) {
  TensorPtr words = *Tensor::FromStrings(DataType::kString, {1}, {"a"});
  Result<TensorPtr> cast = CastTensor(words, DataType::kFloat32);
  EXPECT_EQ(cast.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cast.status().message().find("cannot cast a string tensor"), std::string::npos)
      << cast.status().message();
}

}  // namespace
}  // namespace headrace
