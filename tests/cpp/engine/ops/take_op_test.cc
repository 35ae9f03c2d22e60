// TakeOp: the first rows of each pass; it ends an endless repeat below it.
#include "headrace/engine/ops/take_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"
#include "headrace/engine/ops/repeat_op.h"

namespace headrace::engine {
namespace {

using testing::DoubleMap;
using testing::Labels;
using testing::Source;

TEST(TakeOpTest, TakeStopsAnEndlessRepeat) {
  auto repeat = std::make_shared<RepeatOp>(-1);
  repeat->AddChild(Source(3));
  auto take = std::make_shared<TakeOp>(7);
  take->AddChild(repeat);
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(take, settings);
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0, -1, 0, 1, 2, 0, 1, 2, 0}));
}

TEST(TakeOpTest, TakeInsideRepeatTakesFromEachPass) {
  auto take = std::make_shared<TakeOp>(2);
  take->AddChild(DoubleMap(Source(100), 3));
  auto repeat = std::make_shared<RepeatOp>(3);
  repeat->AddChild(take);
  ExecutionTree tree(repeat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
}

}  // namespace
}  // namespace headrace::engine
