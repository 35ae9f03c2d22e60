#include "headrace/core/tensor_row.h"

#include <gtest/gtest.h>

namespace headrace {
namespace {

TEST(TensorRowTest, DataRowHoldsColumnsAndId) {
  TensorPtr a = *Tensor::Create(DataType::kInt32, {16});
  TensorPtr b = *Tensor::Scalar<int64_t>(DataType::kInt64, 3);
  TensorRow row(7, {a, b});
  EXPECT_TRUE(row.is_data());
  EXPECT_EQ(row.id(), 7);
  ASSERT_EQ(row.size(), 2u);
  EXPECT_EQ(row[0], a) << "rows share tensors, never copy them";
  EXPECT_EQ(row.ToString(), "TensorRow(id=7, [Tensor(int32, [16]), Tensor(int64, [])])");
}

TEST(TensorRowTest, ControlRowsCarryTheirKind) {
  EXPECT_TRUE(TensorRow::EndOfEpoch().is_end_of_epoch());
  EXPECT_TRUE(TensorRow::EndOfData().is_end_of_data());
  EXPECT_FALSE(TensorRow::EndOfData().is_data());
  EXPECT_EQ(TensorRow::EndOfEpoch().ToString(), "TensorRow(EOE)");
  EXPECT_EQ(TensorRow::EndOfData().ToString(), "TensorRow(EOF)");
}

TEST(TensorRowTest, ErrorRowCarriesTheStatus) {
  TensorRow row = TensorRow::Error(Status::InvalidArgument("bad row"));
  EXPECT_TRUE(row.is_error());
  EXPECT_EQ(row.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(row.error().message(), "bad row");
  EXPECT_EQ(row.ToString(), "TensorRow(error: INVALID_ARGUMENT: bad row)");
  EXPECT_EQ(TensorRow::Error(Status::OK()).error().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace headrace
