// BatchOp (with GroupRowsOp, through MakeBatch): batch sizes and the remainder, and a
// per_batch_map that waits outside the connectors woken by Stop().
#include "headrace/engine/ops/batch_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::Batch;
using testing::CancelLatch;
using testing::DoubleMap;
using testing::ExpectStopWakesTheLatch;
using testing::Range;
using testing::Source;

TEST(BatchOpTest, BatchKeepsOrDropsTheRemainder) {
  for (bool drop : {false, true}) {
    PipelineSettings settings;
    ExecutionTree tree(Batch(DoubleMap(Source(100), 2), 32, drop), settings);
    ASSERT_TRUE(tree.Launch().ok());
    std::vector<int64_t> sizes;
    std::vector<int64_t> labels;
    for (;;) {
      TensorRow row;
      ASSERT_TRUE(tree.GetNext(&row).ok());
      if (row.is_end_of_data()) break;
      EXPECT_EQ(row[0]->shape()[1], 4);
      sizes.push_back(row[0]->shape()[0]);
      for (int64_t i = 0; i < row[1]->num_elements(); ++i) labels.push_back(row[1]->data_as<int64_t>()[i]);
    }
    if (drop) {
      EXPECT_EQ(sizes, (std::vector<int64_t>{32, 32, 32}));
      EXPECT_EQ(labels, std::vector<int64_t>(Range(96)));
    } else {
      EXPECT_EQ(sizes, (std::vector<int64_t>{32, 32, 32, 4}));
      EXPECT_EQ(labels, Range(100));
    }
  }
}

class BatchMapWaitsForCancel : public BatchMapFunction {
 public:
  std::string name() const override { return "BatchMapWaitsForCancel"; }
  Status Apply(std::vector<TensorList>* columns, int64_t batch_num, int64_t epoch_num) override {
    return latch.Wait();
  }
  void Cancel() override { latch.Cancel(); }
  void ClearCancel() override { latch.ClearCancel(); }
  CancelLatch latch;
};

TEST(BatchOpTest, StoppingTheTreeWakesAPerBatchMapWaitingOutsideTheConnectors) {
  auto function = std::make_shared<BatchMapWaitsForCancel>();
  BatchOp::Options options;
  options.batch_size = 4;
  options.column_names = {"data", "label"};
  options.batch_map = function;
  options.input_indices = {0};
  options.layout = {{true, 0}, {false, 1}};
  ExpectStopWakesTheLatch(MakeBatch(Source(100), options, 2), function->latch);
}

}  // namespace
}  // namespace headrace::engine
