// ConcatOp: every row of the first child, then every row of the next, in each epoch.
#include "headrace/engine/ops/concat_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::DoubleMap;
using testing::Labels;
using testing::ReadAll;
using testing::SourceOf;

TEST(ConcatOpTest, ChildrenFollowEachOtherInOrderEveryEpoch) {
  auto concat = std::make_shared<ConcatOp>();
  concat->AddChild(SourceOf({0, 1, 2}));
  concat->AddChild(SourceOf({10, 11}));
  concat->AddChild(SourceOf({20}));
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(concat, settings);
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{0, 1, 2, 10, 11, 20, -1, 0, 1, 2, 10, 11, 20}));
}

TEST(ConcatOpTest, KeepsTheOrderOfParallelChildrenAndTheirData) {
  std::vector<int64_t> first(300), second(200);
  for (int64_t i = 0; i < 300; ++i) first[i] = i;
  for (int64_t i = 0; i < 200; ++i) second[i] = 1000 + i;
  auto concat = std::make_shared<ConcatOp>();
  concat->AddChild(DoubleMap(SourceOf(first, 3), 3));
  concat->AddChild(DoubleMap(SourceOf(second, 2), 2));
  PipelineSettings settings;
  settings.block_rows = 16;
  ExecutionTree tree(concat, settings);
  ASSERT_TRUE(tree.Launch().ok());
  std::vector<int64_t> expected = first;
  expected.insert(expected.end(), second.begin(), second.end());
  EXPECT_EQ(ReadAll(&tree)[0], expected);  // ReadAll checks each row's data is twice its label
}

TEST(ConcatOpTest, AnEmptyChildAddsNothing) {
  auto concat = std::make_shared<ConcatOp>();
  concat->AddChild(SourceOf({}));
  concat->AddChild(SourceOf({5, 6}));
  concat->AddChild(SourceOf({}));
  ExecutionTree tree(concat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{5, 6}));
}

}  // namespace
}  // namespace headrace::engine
