#include "headrace/transforms/type_cast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "headrace/core/float16.h"

namespace headrace::transforms {
namespace {

template <typename T>
TensorPtr Vector(DataType type, std::vector<T> values) {
  TensorPtr tensor = *Tensor::Create(type, {static_cast<int64_t>(values.size())});
  std::memcpy(tensor->mutable_data(), values.data(), values.size() * sizeof(T));
  return tensor;
}

TEST(TypeCastTest, IntToFloatAndBack) {
  TensorPtr ints = Vector<int32_t>(DataType::kInt32, {-3, 0, 7});
  TensorPtr floats = *TypeCast::Cast(ints, DataType::kFloat32);
  EXPECT_EQ(floats->dtype(), DataType::kFloat32);
  EXPECT_EQ(floats->shape(), ints->shape());
  EXPECT_EQ(floats->data_as<float>()[0], -3.0f);
  TensorPtr back = *TypeCast::Cast(Vector<double>(DataType::kFloat64, {2.9, -2.9}), DataType::kInt64);
  EXPECT_EQ(back->data_as<int64_t>()[0], 2) << "truncates toward zero, as astype";
  EXPECT_EQ(back->data_as<int64_t>()[1], -2);
}

TEST(TypeCastTest, SaturatesAndMapsNanToZero) {
  TensorPtr out = *TypeCast::Cast(Vector<float>(DataType::kFloat32, {1e10f, -1e10f, std::nanf("")}),
                                  DataType::kInt8);
  EXPECT_EQ(out->data_as<int8_t>()[0], 127);
  EXPECT_EQ(out->data_as<int8_t>()[1], -128);
  EXPECT_EQ(out->data_as<int8_t>()[2], 0);
}

TEST(TypeCastTest, BoolAndFloat16) {
  TensorPtr flags = *TypeCast::Cast(Vector<int16_t>(DataType::kInt16, {0, 5, -1}), DataType::kBool);
  EXPECT_EQ(flags->data_as<bool>()[0], false);
  EXPECT_EQ(flags->data_as<bool>()[1], true);
  TensorPtr halves = *TypeCast::Cast(Vector<float>(DataType::kFloat32, {1.5f, 2049.0f}), DataType::kFloat16);
  EXPECT_EQ(HalfToFloat(halves->data_as<uint16_t>()[0]), 1.5f);
  EXPECT_EQ(HalfToFloat(halves->data_as<uint16_t>()[1]), 2048.0f);
  TensorPtr widened = *TypeCast::Cast(halves, DataType::kFloat64);
  EXPECT_EQ(widened->data_as<double>()[0], 1.5);
}

TEST(TypeCastTest, SameTypeIsTheSameTensor) {
  TensorPtr ints = Vector<int32_t>(DataType::kInt32, {1});
  EXPECT_EQ(*TypeCast::Cast(ints, DataType::kInt32), ints);
}

TEST(TypeCastTest, ErrorsNameTheProblem) {
  EXPECT_EQ(TypeCast::Make(DataType::kString).status().message(),
            "TypeCast: data_type must be a numeric or bool type, got string");
  TypeCast cast(DataType::kFloat32);
  engine::TensorList two = {Vector<int32_t>(DataType::kInt32, {1}), Vector<int32_t>(DataType::kInt32, {2})};
  EXPECT_EQ(cast.Compute(&two, 0).message(), "TypeCast takes one column, got 2");
  TensorPtr words = *Tensor::FromStrings(DataType::kString, {1}, {"a"});
  EXPECT_EQ(TypeCast::Cast(words, DataType::kFloat32).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::transforms
