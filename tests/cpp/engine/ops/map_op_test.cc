// MapOp: order across parallel workers, a seed per row, and a chain op that waits outside
// the connectors woken by Stop().
#include "headrace/engine/ops/map_op.h"

#include <gtest/gtest.h>

#include <set>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::CancelLatch;
using testing::DoubleMap;
using testing::ExpectStopWakesTheLatch;
using testing::MapWith;
using testing::Range;
using testing::ReadAll;
using testing::Source;
using testing::ThreadCount;

TEST(MapOpTest, ParallelMapKeepsOrderAcrossEpochs) {
  const int threads_before = ThreadCount();
  {
    PipelineSettings settings;
    settings.num_epochs = 3;
    settings.block_rows = 7;
    settings.prefetch_rows = 16;
    ExecutionTree tree(DoubleMap(Source(1000, 3), 4), settings);
    ASSERT_TRUE(tree.Launch().ok());
    auto epochs = ReadAll(&tree);
    ASSERT_EQ(epochs.size(), 3u);
    for (const auto& labels : epochs) EXPECT_EQ(labels, Range(1000));
  }
  EXPECT_EQ(ThreadCount(), threads_before);
}

class MapWaitsForCancel : public transforms::TensorOp {
 public:
  std::string name() const override { return "MapWaitsForCancel"; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override { return Status::OK(); }
  Status ComputeBlock(std::vector<TensorList>* rows, const std::vector<uint64_t>& /*seeds*/) override { return latch.Wait(); }
  void Cancel() override { latch.Cancel(); }
  void ClearCancel() override { latch.ClearCancel(); }
  CancelLatch latch;
};

TEST(MapOpTest, StoppingTheTreeWakesAMapOperationWaitingOutsideTheConnectors) {
  auto op = std::make_shared<MapWaitsForCancel>();
  ExpectStopWakesTheLatch(MapWith(op, Source(100)), op->latch);
}

// Replaces the row's columns with the seed it was given, as a uint64 scalar.
class SeedOp : public transforms::TensorOp {
 public:
  std::string name() const override { return "Seed"; }
  Status Compute(TensorList* columns, uint64_t seed) override {
    ASSIGN_OR_RETURN(TensorPtr out, Tensor::Scalar(DataType::kUInt64, seed));
    *columns = {out};
    return Status::OK();
  }
};

// Per epoch, the seed the map's last step got for each row, in row order.
std::vector<std::vector<uint64_t>> SeedsPerEpoch(int map_workers, int64_t block_rows,
                                                  uint64_t map_seed) {
  auto map = std::make_shared<MapOp>(
      std::vector<std::shared_ptr<transforms::TensorOp>>{std::make_shared<SeedOp>(), std::make_shared<SeedOp>()},
      std::vector<int>{0}, std::vector<MapOp::OutputColumn>{{true, 0}, {false, 1}}, map_workers,
      map_seed);
  map->AddChild(Source(300, 2));
  PipelineSettings settings;
  settings.num_epochs = 2;
  settings.block_rows = block_rows;
  ExecutionTree tree(map, settings);
  EXPECT_TRUE(tree.Launch().ok());
  std::vector<std::vector<uint64_t>> epochs(1);
  for (;;) {
    TensorRow row;
    EXPECT_TRUE(tree.GetNext(&row).ok());
    if (row.is_end_of_data()) break;
    if (row.is_end_of_epoch()) {
      epochs.emplace_back();
      continue;
    }
    EXPECT_EQ(row[1]->data_as<int64_t>()[0], static_cast<int64_t>(epochs.back().size()));
    epochs.back().push_back(row[0]->data_as<uint64_t>()[0]);
  }
  return epochs;
}

TEST(MapOpTest, EveryRowHasItsOwnSeedWhateverTheWorkersAndBlocks) {
  const auto one_worker = SeedsPerEpoch(1, 3, 42);
  ASSERT_EQ(one_worker.size(), 2u);
  ASSERT_EQ(one_worker[0].size(), 300u);
  EXPECT_EQ(SeedsPerEpoch(4, 7, 42), one_worker);
  EXPECT_EQ(SeedsPerEpoch(3, 64, 42), one_worker);
  // Different rows, epochs and map seeds draw differently.
  std::set<uint64_t> distinct(one_worker[0].begin(), one_worker[0].end());
  distinct.insert(one_worker[1].begin(), one_worker[1].end());
  EXPECT_EQ(distinct.size(), 600u);
  EXPECT_NE(SeedsPerEpoch(1, 3, 43)[0], one_worker[0]);
}

// Appends the seed it was given to the row's columns, as a uint64 scalar. It stands for
// `steps` steps of the chain, as an op fused from that many does (transforms/fusion.h).
class AppendSeed : public transforms::TensorOp {
 public:
  explicit AppendSeed(int steps = 1) : steps_(steps) {}
  std::string name() const override { return "AppendSeed"; }
  int chain_steps() const override { return steps_; }
  Status Compute(TensorList* columns, uint64_t seed) override {
    ASSIGN_OR_RETURN(TensorPtr out, Tensor::Scalar(DataType::kUInt64, seed));
    columns->push_back(out);
    return Status::OK();
  }

 private:
  const int steps_;
};

// Per row of Source(rows), the seeds the steps of `chain` (all AppendSeed) were given.
std::vector<std::vector<uint64_t>> StepSeeds(std::vector<std::shared_ptr<transforms::TensorOp>> chain,
                                             int64_t rows) {
  const int steps = static_cast<int>(chain.size());
  std::vector<MapOp::OutputColumn> layout;
  for (int k = 0; k <= steps; ++k) layout.push_back({true, k});  // the data, then the seeds
  layout.push_back({false, 1});
  auto map = std::make_shared<MapOp>(std::move(chain), std::vector<int>{0}, std::move(layout), 3, 42);
  map->AddChild(Source(rows));
  ExecutionTree tree(map, PipelineSettings{});
  EXPECT_TRUE(tree.Launch().ok());
  std::vector<std::vector<uint64_t>> out;
  for (;;) {
    TensorRow row;
    const Status status = tree.GetNext(&row);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || !row.is_data()) return out;
    EXPECT_EQ(row[steps + 1]->data_as<int64_t>()[0], static_cast<int64_t>(out.size())) << "in order";
    std::vector<uint64_t>& seeds = out.emplace_back();
    for (int k = 1; k <= steps; ++k) seeds.push_back(row[k]->data_as<uint64_t>()[0]);
  }
}

TEST(MapOpTest, AStepStandingForSeveralGetsTheSeedOfTheLastOfThemAndLaterStepsKeepTheirs) {
  using Chain = std::vector<std::shared_ptr<transforms::TensorOp>>;
  const auto unfused = StepSeeds(
      Chain{std::make_shared<AppendSeed>(), std::make_shared<AppendSeed>(), std::make_shared<AppendSeed>()}, 50);
  const auto fused = StepSeeds(Chain{std::make_shared<AppendSeed>(2), std::make_shared<AppendSeed>()}, 50);
  ASSERT_EQ(unfused.size(), 50u);
  ASSERT_EQ(fused.size(), 50u);
  for (size_t r = 0; r < unfused.size(); ++r) {
    EXPECT_NE(unfused[r][0], unfused[r][1]) << "each step its own seed";
    EXPECT_EQ(fused[r], (std::vector<uint64_t>{unfused[r][1], unfused[r][2]})) << "row " << r;
  }
}

}  // namespace
}  // namespace headrace::engine
