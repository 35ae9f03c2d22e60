#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {
namespace {

using namespace std::chrono_literals;

TensorRow DataRow(int64_t id) { return TensorRow(id, {}); }

TEST(RowWriterTest, GroupsRowsIntoBlocksAndFlushesOnControlRows) {
  Connector connector(1, 1, 100);
  RowWriter writer(&connector, 0, /*block_rows=*/4, /*max_delay=*/std::chrono::seconds(60));
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(writer.Write(DataRow(i)).ok());
  EXPECT_EQ(connector.queued_rows(), 4) << "one full block of 4, two rows pending";
  ASSERT_TRUE(writer.Write(TensorRow::EndOfEpoch()).ok());
  EXPECT_EQ(connector.queued_rows(), 7) << "a control row pushes the pending rows with it";

  RowBlock block;
  ASSERT_TRUE(connector.Pop(0, &block).ok());
  EXPECT_EQ(block.size(), 4u);
  ASSERT_TRUE(connector.Pop(0, &block).ok());
  ASSERT_EQ(block.size(), 3u);
  EXPECT_TRUE(block.back().is_end_of_epoch());
}

TEST(RowWriterTest, SlowRowsAreNotHeldBack) {
  Connector connector(1, 1, 100);
  RowWriter writer(&connector, 0, /*block_rows=*/1000, /*max_delay=*/1ms);
  ASSERT_TRUE(writer.Write(DataRow(0)).ok());
  EXPECT_EQ(connector.queued_rows(), 0);
  std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(writer.Write(DataRow(1)).ok());
  EXPECT_EQ(connector.queued_rows(), 2);
}

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
