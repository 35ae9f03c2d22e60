// SkipOp: every row of each pass but the first ones.
#include "headrace/engine/ops/skip_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"
#include "headrace/engine/ops/repeat_op.h"

namespace headrace::engine {
namespace {

using testing::Labels;
using testing::Source;

TEST(SkipOpTest, SkipDropsTheFirstRowsOfEachPass) {
  auto skip = std::make_shared<SkipOp>(3);
  skip->AddChild(Source(5));
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(skip);
  ExecutionTree tree(repeat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{3, 4, 3, 4}));
}

}  // namespace
}  // namespace headrace::engine
