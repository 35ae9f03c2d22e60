#include "headrace/engine/row_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "headrace/engine/row_reader.h"

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

}  // namespace
}  // namespace headrace::engine
