#include "headrace/core/tensor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace headrace {
namespace {

TEST(TensorTest, CreateAllocatesAlignedMemoryOfTheRightSize) {
  Result<TensorPtr> tensor = Tensor::Create(DataType::kFloat32, {2, 3});
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->dtype(), DataType::kFloat32);
  EXPECT_EQ((*tensor)->shape(), (Shape{2, 3}));
  EXPECT_EQ((*tensor)->rank(), 2);
  EXPECT_EQ((*tensor)->num_elements(), 6);
  EXPECT_EQ((*tensor)->nbytes(), 24);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*tensor)->data()) % 64, 0u);
  EXPECT_TRUE((*tensor)->buffer()->is_owned());
  EXPECT_EQ((*tensor)->ToString(), "Tensor(float32, [2, 3])");
}

TEST(TensorTest, ScalarHasRankZeroAndOneElement) {
  Result<TensorPtr> tensor = Tensor::Scalar<int64_t>(DataType::kInt64, -5);
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->rank(), 0);
  EXPECT_EQ((*tensor)->num_elements(), 1);
  EXPECT_EQ(*(*tensor)->data_as<int64_t>(), -5);
  EXPECT_FALSE(Tensor::Scalar<int32_t>(DataType::kInt64, 1).ok());
}

TEST(TensorTest, EmptyShapeStillHasAnAddress) {
  Result<TensorPtr> tensor = Tensor::Create(DataType::kUInt8, {0, 4});
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->num_elements(), 0);
  EXPECT_NE((*tensor)->data(), nullptr);
}

TEST(TensorTest, BadShapesAreRefused) {
  Result<TensorPtr> negative = Tensor::Create(DataType::kInt32, {2, -1});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(negative.status().message().find("[2, -1]"), std::string::npos);
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_EQ(Tensor::Create(DataType::kInt32, {big, 4}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Tensor::Create(DataType::kString, {1}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TensorTest, FromBufferSharesTheBytes) {
  std::vector<int32_t> storage = {1, 2, 3, 4};
  bool released = false;
  BufferPtr buffer =
      Buffer::Wrap(reinterpret_cast<uint8_t*>(storage.data()), 16, /*is_mutable=*/true,
                   [&released] { released = true; });
  {
    Result<TensorPtr> tensor = Tensor::FromBuffer(DataType::kInt32, {2, 2}, buffer);
    ASSERT_TRUE(tensor.ok());
    EXPECT_EQ((*tensor)->data(), reinterpret_cast<uint8_t*>(storage.data()));
    storage[3] = 40;
    EXPECT_EQ((*tensor)->data_as<int32_t>()[3], 40);
    buffer.reset();
    EXPECT_FALSE(released) << "the tensor still holds the buffer";
  }
  EXPECT_TRUE(released) << "the release callback runs when the last tensor goes";
}

TEST(TensorTest, FromBufferRefusesATooSmallBuffer) {
  Result<BufferPtr> buffer = Buffer::Allocate(8);
  ASSERT_TRUE(buffer.ok());
  Result<TensorPtr> tensor = Tensor::FromBuffer(DataType::kFloat64, {2}, *buffer);
  ASSERT_FALSE(tensor.ok());
  EXPECT_EQ(tensor.status().message(),
            "Tensor::FromBuffer: a float64 tensor of shape [2] needs 16 bytes, the buffer has 8");
}

TEST(TensorTest, ReadOnlyBufferHasNoMutableData) {
  uint8_t byte = 1;
  BufferPtr buffer = Buffer::Wrap(&byte, 1, /*is_mutable=*/false, nullptr);
  Result<TensorPtr> tensor = Tensor::FromBuffer(DataType::kUInt8, {1}, buffer);
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->mutable_data(), nullptr);
  EXPECT_EQ((*tensor)->data(), &byte);
}

TEST(TensorTest, StringsKeepTheirBytesAndOrder) {
  std::vector<std::string_view> words = {"", "héllo", "世界", std::string_view("a\0b", 3)};
  Result<TensorPtr> tensor = Tensor::FromStrings(DataType::kString, {2, 2}, words);
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->num_elements(), 4);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ((*tensor)->StringAt(i), words[i]);
}

TEST(TensorTest, BytesMayHoldAnything) {
  std::string binary("\xff\x00\xfe", 3);
  Result<TensorPtr> tensor = Tensor::FromStrings(DataType::kBytes, {1}, {binary});
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->StringAt(0), binary);
}

TEST(TensorTest, InvalidUtf8StringIsRefusedNamingTheElement) {
  Result<TensorPtr> tensor =
      Tensor::FromStrings(DataType::kString, {2}, {"ok", std::string_view("\xff", 1)});
  ASSERT_FALSE(tensor.ok());
  EXPECT_EQ(tensor.status().message(), "string element 1 is not valid UTF-8");
}

TEST(TensorTest, StringCountMustMatchShape) {
  Result<TensorPtr> tensor = Tensor::FromStrings(DataType::kString, {3}, {"a", "b"});
  ASSERT_FALSE(tensor.ok());
  EXPECT_EQ(tensor.status().code(), StatusCode::kInvalidArgument);
}

TEST(BufferTest, NegativeSizeIsRefused) {
  EXPECT_EQ(Buffer::Allocate(-1).status().code(), StatusCode::kInvalidArgument);
}

TEST(BufferTest, ImpossibleAllocationIsResourceExhausted) {
  Result<BufferPtr> buffer = Buffer::Allocate(std::numeric_limits<int64_t>::max() / 2);
  ASSERT_FALSE(buffer.ok());
  EXPECT_EQ(buffer.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace headrace

namespace headrace {
namespace {

TEST(TensorSliceTest, FixedWidthSliceSharesTheBuffer) {
  TensorPtr matrix = *Tensor::Create(DataType::kInt32, {3, 4});
  auto* values = reinterpret_cast<int32_t*>(matrix->mutable_data());
  for (int i = 0; i < 12; ++i) values[i] = i;
  Result<TensorPtr> row = matrix->Slice(2);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ((*row)->shape(), (Shape{4}));
  EXPECT_EQ((*row)->data(), matrix->data() + 8 * 4);
  EXPECT_EQ((*row)->data_as<int32_t>()[0], 8);
  std::weak_ptr<Buffer> parent = matrix->buffer();
  matrix.reset();
  EXPECT_FALSE(parent.expired()) << "a slice keeps its parent buffer alive";
  EXPECT_EQ((*row)->data_as<int32_t>()[3], 11);
}

TEST(TensorSliceTest, StringSliceCopiesItsElements) {
  TensorPtr words = *Tensor::FromStrings(DataType::kString, {2, 2}, {"a", "b", "c", "d"});
  Result<TensorPtr> row = words->Slice(1);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ((*row)->shape(), (Shape{2}));
  EXPECT_EQ((*row)->StringAt(0), "c");
  EXPECT_EQ((*row)->StringAt(1), "d");
}

TEST(TensorSliceTest, BadIndexOrRankIsAnError) {
  TensorPtr vector = *Tensor::Create(DataType::kFloat32, {3});
  EXPECT_EQ(vector->Slice(3).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(vector->Slice(-1).status().code(), StatusCode::kOutOfRange);
  TensorPtr scalar = *Tensor::Scalar<float>(DataType::kFloat32, 1.0f);
  EXPECT_EQ(scalar->Slice(0).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace

namespace headrace {
namespace {

TEST(TensorSizeTest, ByteCountOverflowIsRefused) {
  const int64_t huge = int64_t{1} << 62;
  Result<TensorPtr> tensor = Tensor::Create(DataType::kInt64, {huge});
  ASSERT_FALSE(tensor.ok());
  EXPECT_EQ(tensor.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(tensor.status().message().find("too large"), std::string::npos);
  BufferPtr small = *Buffer::Allocate(8);
  EXPECT_EQ(Tensor::FromBuffer(DataType::kInt64, {huge}, small).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Buffer::Allocate(std::numeric_limits<int64_t>::max()).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace headrace
