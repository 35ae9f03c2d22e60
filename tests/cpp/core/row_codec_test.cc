#include "headrace/core/row_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string_view>

namespace headrace {
namespace {

TensorRow SampleRow() {
  TensorPtr image = *Tensor::Create(DataType::kUInt8, {3, 5, 3});
  for (int64_t i = 0; i < image->num_elements(); ++i) image->mutable_data()[i] = static_cast<uint8_t>(i * 7);
  TensorPtr label = *Tensor::Scalar(DataType::kInt32, int32_t{42});
  TensorPtr text = *Tensor::FromStrings(DataType::kString, {2}, {std::string_view("héllo"), std::string_view("")});
  TensorPtr empty = *Tensor::Create(DataType::kFloat32, {0, 4});
  return TensorRow(9, {image, label, text, empty});
}

BufferPtr Encode(const TensorRow& row, int64_t at = 0) {
  BufferPtr buffer = *Buffer::Allocate(at + EncodedRowSize(row));
  EXPECT_TRUE(EncodeRow(row, buffer->mutable_data() + at, EncodedRowSize(row)).ok());
  return buffer;
}

TEST(RowCodec, RoundTripKeepsDtypesShapesAndValuesWithoutCopying) {
  const TensorRow row = SampleRow();
  BufferPtr buffer = Encode(row, 128);
  Result<TensorRow> decoded = DecodeRow(buffer, 128, EncodedRowSize(row), 31);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->id(), 31);
  ASSERT_EQ(decoded->size(), row.size());
  for (size_t c = 0; c < row.size(); ++c) {
    EXPECT_EQ((*decoded)[c]->dtype(), row[c]->dtype()) << c;
    EXPECT_EQ((*decoded)[c]->shape(), row[c]->shape()) << c;
    ASSERT_EQ((*decoded)[c]->nbytes(), row[c]->nbytes()) << c;
    EXPECT_EQ(std::memcmp((*decoded)[c]->data(), row[c]->data(), row[c]->nbytes()), 0) << c;
  }
  // Fixed-width columns view the buffer, 64-byte aligned.
  const uint8_t* image = (*decoded)[0]->data();
  EXPECT_GE(image, buffer->data() + 128);
  EXPECT_LT(image, buffer->data() + buffer->size());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(image) % 64, 0u);
  EXPECT_EQ((*decoded)[2]->StringAt(0), "héllo");
}

TEST(RowCodec, TheTensorsKeepTheBufferAlive) {
  const TensorRow row = SampleRow();
  BufferPtr buffer = Encode(row);
  TensorRow decoded = *DecodeRow(buffer, 0, EncodedRowSize(row), 0);
  std::weak_ptr<Buffer> weak = buffer;
  buffer.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(decoded[1]->data_as<int32_t>()[0], 42);
  decoded = TensorRow();
  EXPECT_TRUE(weak.expired());
}

TEST(RowCodec, CorruptBytesAreDataLossNeverAnOverread) {
  const TensorRow row = SampleRow();
  const int64_t size = EncodedRowSize(row);
  BufferPtr buffer = Encode(row);
  // Every truncation that cuts into a column's bytes fails cleanly (only the last
  // column's alignment padding may go).
  for (int64_t cut = 0; cut < size - 64; cut += 7) {
    EXPECT_EQ(DecodeRow(buffer, 0, cut, 0).status().code(), StatusCode::kDataLoss) << cut;
  }
  EXPECT_FALSE(DecodeRow(buffer, 0, size / 2, 0).ok());
  buffer->mutable_data()[0] = 'X';
  EXPECT_EQ(DecodeRow(buffer, 0, size, 0).status().message(), "cached row is corrupt: wrong magic number");
  EXPECT_EQ(DecodeRow(buffer, 64, size, 0).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(EncodeRow(row, buffer->mutable_data(), size - 1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace
