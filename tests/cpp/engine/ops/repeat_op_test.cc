// RepeatOp: its child's passes one after another as one stream, below or above a batch.
#include "headrace/engine/ops/repeat_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::Batch;
using testing::DoubleMap;
using testing::Labels;
using testing::Source;
using testing::SourceOf;

// The first dimension of every batch the tree yields.
std::vector<int64_t> BatchSizes(std::shared_ptr<DatasetOp> pipeline) {
  ExecutionTree tree(std::move(pipeline), PipelineSettings{});
  EXPECT_TRUE(tree.Launch().ok());
  std::vector<int64_t> sizes;
  for (;;) {
    TensorRow row;
    EXPECT_TRUE(tree.GetNext(&row).ok());
    if (!row.is_data()) return sizes;
    sizes.push_back(row[0]->shape()[0]);
  }
}

TEST(RepeatOpTest, RepeatBelowBatchBatchesAcrossRepetitions) {
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(DoubleMap(Source(5), 2));
  EXPECT_EQ(BatchSizes(Batch(repeat, 3, false)), (std::vector<int64_t>{3, 3, 3, 1}));
}

TEST(RepeatOpTest, RepeatAboveBatchRestartsTheBatches) {
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(Batch(DoubleMap(Source(5), 2), 3, false));
  EXPECT_EQ(BatchSizes(repeat), (std::vector<int64_t>{3, 2, 3, 2}));
}

TEST(RepeatOpTest, RepeatsTheRowsInOrderWithNoEndOfEpochBetweenRepetitions) {
  auto repeat = std::make_shared<RepeatOp>(3);
  repeat->AddChild(SourceOf({4, 2, 9}));
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(repeat, settings);
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{4, 2, 9, 4, 2, 9, 4, 2, 9, -1,  //
                                                 4, 2, 9, 4, 2, 9, 4, 2, 9}));
}

TEST(RepeatOpTest, AnEndlessRepeatOfAnEmptyChildEnds) {
  // It would spin for ever; it ends its pass instead.
  auto repeat = std::make_shared<RepeatOp>(-1);
  repeat->AddChild(SourceOf({}));
  ExecutionTree tree(repeat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), std::vector<int64_t>{});
}

TEST(RepeatOpTest, RepeatsOfRepeatsMultiply) {
  auto inner = std::make_shared<RepeatOp>(2);
  inner->AddChild(SourceOf({1, 2}));
  auto outer = std::make_shared<RepeatOp>(2);
  outer->AddChild(inner);
  ExecutionTree tree(outer, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{1, 2, 1, 2, 1, 2, 1, 2}));
}

}  // namespace
}  // namespace headrace::engine
