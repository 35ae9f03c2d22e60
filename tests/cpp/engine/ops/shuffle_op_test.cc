// ShuffleOp: every row once per epoch, in an order that follows the seed and changes
// with the epoch.
#include "headrace/engine/ops/shuffle_op.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::Labels;
using testing::Range;
using testing::Source;

std::vector<std::vector<int64_t>> ShuffledEpochs(int64_t buffer_size, uint64_t seed) {
  auto shuffle = std::make_shared<ShuffleOp>(buffer_size, seed);
  shuffle->AddChild(Source(50));
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(shuffle, settings);
  EXPECT_TRUE(tree.Launch().ok());
  std::vector<std::vector<int64_t>> epochs(1);
  for (int64_t label : Labels(&tree)) {
    if (label == -1) {
      epochs.emplace_back();
    } else {
      epochs.back().push_back(label);
    }
  }
  return epochs;
}

TEST(ShuffleOpTest, EveryRowOnceInANewOrderEachEpochFollowingTheSeed) {
  auto epochs = ShuffledEpochs(16, 3);
  ASSERT_EQ(epochs.size(), 2u);
  for (auto labels : epochs) {
    EXPECT_NE(labels, Range(50));
    std::sort(labels.begin(), labels.end());
    EXPECT_EQ(labels, Range(50));
  }
  EXPECT_NE(epochs[0], epochs[1]);
  EXPECT_EQ(ShuffledEpochs(16, 3), epochs);
  EXPECT_NE(ShuffledEpochs(16, 4), epochs);
}

TEST(ShuffleOpTest, ABufferOfOneKeepsTheOrder) {
  EXPECT_EQ(ShuffledEpochs(1, 3)[0], Range(50));
}

}  // namespace
}  // namespace headrace::engine
