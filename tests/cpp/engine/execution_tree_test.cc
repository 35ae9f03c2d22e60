// ExecutionTree: launched trees end to end: errors reach the consumer and stop every
// thread, stopping mid-epoch or from another thread leaves nothing running, rows above a
// stalled op still arrive, and NextIsReady keeps its promise.
#include "headrace/engine/execution_tree.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "engine_test_util.h"
#include "headrace/engine/ops/repeat_op.h"

namespace headrace::engine {
namespace {

using testing::Batch;
using testing::CancelLatch;
using testing::DoubleMap;
using testing::MapWith;
using testing::Range;
using testing::ReadAll;
using testing::Source;
using testing::ThreadCount;

TEST(ExecutionTreeTest, AnErrorInAWorkerReachesTheConsumerAndStopsEverything) {
  const int threads_before = ThreadCount();
  {
    ExecutionTree tree(Batch(DoubleMap(Source(5000), 3, /*fail_on=*/2345), 64, false),
                       PipelineSettings{});
    ASSERT_TRUE(tree.Launch().ok());
    Status error;
    auto epochs = ReadAll(&tree, &error);
    EXPECT_EQ(error.ToString(), "INVALID_ARGUMENT: Double: refused 2345");
    // Rows after the failing one never arrive: at most the 36 whole batches before it.
    EXPECT_LE(epochs[0].size(), 2345u / 64 * 64);
    EXPECT_EQ(ThreadCount(), threads_before) << "the tree stops on error";
  }
}

TEST(ExecutionTreeTest, StoppingMidEpochLeavesNoThread) {
  const int threads_before = ThreadCount();
  for (int attempt = 0; attempt < 20; ++attempt) {
    PipelineSettings settings;
    settings.num_epochs = -1;
    auto repeat = std::make_shared<RepeatOp>(-1);
    repeat->AddChild(DoubleMap(Source(300), 3));
    ExecutionTree tree(Batch(repeat, 16, true), settings);
    ASSERT_TRUE(tree.Launch().ok());
    for (int i = 0; i < attempt * 3; ++i) {
      TensorRow row;
      ASSERT_TRUE(tree.GetNext(&row).ok());
    }
    // The tree is destroyed with every queue full or mid-relaunch.
  }
  EXPECT_EQ(ThreadCount(), threads_before);
}

TEST(ExecutionTreeTest, StopFromAnotherThreadWakesAWaitingConsumer) {
  // A source whose rows take long to read (100 ms each, 2 per block): the consumer is blocked when
  // Stop() comes, and the source stops at the end of its current block.
  class SlowSource : public RandomAccessSource {
   public:
    int64_t size() const override { return 1000; }
    const std::vector<std::string>& column_names() const override { return names_; }
    Status Get(int64_t index, TensorRow* row) override {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      row->push_back(*Tensor::Scalar<int64_t>(DataType::kInt64, index));
      return Status::OK();
    }

   private:
    std::vector<std::string> names_{"x"};
  };
  auto source = std::make_shared<SourceOp>("Slow", std::make_shared<SlowSource>(),
                                           std::make_shared<SequentialSampler>(0, 0), 1);
  PipelineSettings settings;
  settings.block_rows = 2;
  ExecutionTree tree(source, settings);
  ASSERT_TRUE(tree.Launch().ok());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    tree.Stop();
  });
  TensorRow row;
  const auto start = std::chrono::steady_clock::now();
  Status status = tree.GetNext(&row);
  stopper.join();
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Passes rows through, but waits for Cancel() on a block whose first row is `from` or later.
class StallsFrom : public transforms::TensorOp {
 public:
  explicit StallsFrom(int32_t from) : from_(from) {}
  std::string name() const override { return "StallsFrom"; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override { return Status::OK(); }
  Status ComputeBlock(std::vector<TensorList>* rows, const std::vector<uint64_t>& /*seeds*/) override {
    if (rows->front().at(0)->data_as<int32_t>()[0] >= from_) return latch.Wait();
    return Status::OK();
  }
  void Cancel() override { latch.Cancel(); }
  void ClearCancel() override { latch.ClearCancel(); }
  CancelLatch latch;

 private:
  const int32_t from_;
};

TEST(ExecutionTreeTest, RowsAboveAStalledMapArriveWithoutWaitingForIt) {
  // The map's first block (rows 0-7) is done, its next ones stall: the root op must pass
  // on the rows it has once they are due, not keep them until its block of 128 fills.
  auto op = std::make_shared<StallsFrom>(8);
  auto source = Source(100);
  source->LimitOutputBlockRows(8);
  auto map = MapWith(op, source, 2);
  ExecutionTree tree(map, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  auto first_rows = std::async(std::launch::async, [&] {
    std::vector<int64_t> labels;
    for (int i = 0; i < 8; ++i) {
      TensorRow row;
      if (!tree.GetNext(&row).ok() || !row.is_data()) break;
      labels.push_back(row[1]->data_as<int64_t>()[0]);
    }
    return labels;
  });
  const bool arrived = first_rows.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  tree.Stop();  // wakes the stalled blocks (and GetNext, if it still waits)
  EXPECT_TRUE(arrived) << "the first 8 rows were held back behind the stalled blocks";
  EXPECT_EQ(first_rows.get(), Range(8));
}

TEST(ExecutionTreeTest, NextIsReadyOnlyBeforeABufferedDataRow) {
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(Source(300), settings);
  EXPECT_FALSE(tree.NextIsReady()) << "not launched";
  ASSERT_TRUE(tree.Launch().ok());
  int rows = 0;
  for (;;) {
    const bool ready = tree.NextIsReady();
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    if (ready) {
      EXPECT_TRUE(row.is_data()) << "ready promised a data row";
    }
    if (row.is_end_of_data()) break;
    rows += row.is_data();
  }
  EXPECT_EQ(rows, 600);
  EXPECT_FALSE(tree.NextIsReady()) << "after the end";
}

}  // namespace
}  // namespace headrace::engine
