// TensorTableSource's row size, by which the source op cuts blocks of large rows (images)
// into about a megabyte each.
#include <gtest/gtest.h>

#include "headrace/engine/sources/tensor_table_source.h"

namespace headrace::engine {
namespace {

TEST(TensorTableSourceTest, RowBytesIsEveryColumnsShareOfOneRow) {
  TensorPtr images = *Tensor::Create(DataType::kUInt8, {10, 224, 224, 3});
  TensorPtr labels = *Tensor::Create(DataType::kInt64, {10});
  auto table = *TensorTableSource::Make({"image", "label"}, {images, labels});
  EXPECT_EQ(table->RowBytes(), 224 * 224 * 3 + 8);
  auto empty = *TensorTableSource::Make({"x"}, {*Tensor::Create(DataType::kFloat32, {0, 5})});
  EXPECT_EQ(empty->RowBytes(), 0) << "no rows: unknown";
}

}  // namespace
}  // namespace headrace::engine
