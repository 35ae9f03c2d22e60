// DatasetOp::LimitOutputBlockRows: a block limit travels down through ops that keep their
// input blocks (maps) to the source, and stops at a batch.
#include "headrace/engine/dataset_op.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::Batch;
using testing::DoubleMap;
using testing::MapWith;
using testing::Range;
using testing::ReadAll;
using testing::Source;

// Records the size of every block it is given and passes rows through.
class BlockSizeRecorder : public transforms::TensorOp {
 public:
  std::string name() const override { return "Recorder"; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override { return Status::OK(); }
  Status ComputeBlock(std::vector<TensorList>* rows, const std::vector<uint64_t>& /*seeds*/) override {
    std::lock_guard<std::mutex> lock(mu_);
    sizes_.push_back(rows->size());
    return Status::OK();
  }
  std::vector<size_t> sizes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<size_t> sizes_;
};

TEST(DatasetOpTest, BlockLimitReachesTheSourceThroughMapsAndStopsAtBatch) {
  for (int64_t limit : {int64_t{0}, int64_t{8}}) {
    auto recorder = std::make_shared<BlockSizeRecorder>();
    // A passing map between the limit and the source: map blocks are their input blocks.
    auto top = MapWith(recorder, DoubleMap(Source(1000), 2));
    if (limit > 0) top->LimitOutputBlockRows(limit);
    auto batch = Batch(top, 64, false);
    batch->LimitOutputBlockRows(1);  // must not reach the grouping: batches stay whole
    ExecutionTree tree(batch, PipelineSettings{});  // block_rows 128
    ASSERT_TRUE(tree.Launch().ok());
    auto epochs = ReadAll(&tree);
    EXPECT_EQ(epochs[0], Range(1000));
    const std::vector<size_t> sizes = recorder->sizes();
    const size_t largest = *std::max_element(sizes.begin(), sizes.end());
    if (limit > 0) {
      EXPECT_LE(largest, 8u);
    } else {
      EXPECT_GT(largest, 8u) << "without a limit the source writes blocks of up to 4 x 128 rows";
    }
  }
}

}  // namespace
}  // namespace headrace::engine
