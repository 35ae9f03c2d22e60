#include "headrace/engine/row_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "headrace/engine/row_writer.h"

namespace headrace::engine {
namespace {

using namespace std::chrono_literals;

TensorRow DataRow(int64_t id) { return TensorRow(id, {}); }

TEST(RowReaderTest, ReadsRowsInOrderSkippingEmptyBlocksAndRemembersTheEnd) {
  Connector connector(1, 1, 100);
  ASSERT_TRUE(connector.Push(0, RowBlock{DataRow(0), DataRow(1)}).ok());
  ASSERT_TRUE(connector.Push(0, RowBlock{}).ok());
  ASSERT_TRUE(connector.Push(0, RowBlock{DataRow(2), TensorRow::EndOfEpoch()}).ok());
  ASSERT_TRUE(connector.Push(0, RowBlock{TensorRow::EndOfData()}).ok());
  RowReader reader(&connector, 0);
  TensorRow row;
  for (int64_t id = 0; id < 3; ++id) {
    ASSERT_TRUE(reader.Next(&row).ok());
    EXPECT_EQ(row.id(), id);
  }
  ASSERT_TRUE(reader.Next(&row).ok());
  EXPECT_TRUE(row.is_end_of_epoch());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(reader.Next(&row).ok());
    EXPECT_TRUE(row.is_end_of_data());
  }
}

TEST(RowReaderTest, AnErrorRowComesBackAsItsStatus) {
  Connector connector(1, 1, 100);
  ASSERT_TRUE(connector.Push(0, RowBlock{DataRow(0)}).ok());
  connector.Fail(Status::DataLoss("truncated file"));
  RowReader reader(&connector, 0);
  TensorRow row;
  Status status = reader.Next(&row);
  EXPECT_EQ(status.ToString(), "DATA_LOSS: truncated file");
}

}  // namespace
}  // namespace headrace::engine
