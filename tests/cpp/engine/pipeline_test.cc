// End-to-end tests of launched trees: source -> map -> batch -> repeat, epochs, errors,
// early stop, and that no thread outlives the tree.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "headrace/engine/execution_tree.h"
#include "headrace/engine/ops/batch_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/ops/repeat_op.h"
#include "headrace/engine/ops/shuffle_op.h"
#include "headrace/engine/ops/skip_op.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/ops/take_op.h"
#include "headrace/engine/samplers/sequential_sampler.h"
#include "headrace/engine/sources/tensor_table_source.h"

namespace headrace::engine {
namespace {

int ThreadCount() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Rows i = [i, i, i, i] (int32) with label i (int64).
std::shared_ptr<DatasetOp> Source(int64_t rows, int workers = 2) {
  TensorPtr data = *Tensor::Create(DataType::kInt32, {rows, 4});
  TensorPtr labels = *Tensor::Create(DataType::kInt64, {rows});
  auto* d = reinterpret_cast<int32_t*>(data->mutable_data());
  auto* l = reinterpret_cast<int64_t*>(labels->mutable_data());
  for (int64_t i = 0; i < rows; ++i) {
    for (int k = 0; k < 4; ++k) d[i * 4 + k] = static_cast<int32_t>(i);
    l[i] = i;
  }
  auto table = *TensorTableSource::Make({"data", "label"}, {data, labels});
  return std::make_shared<SourceOp>("NumpySlices", table,
                                    std::make_shared<SequentialSampler>(0, 0), workers);
}

// Doubles an int32 column, sleeping a random few microseconds so that workers finish
// out of order; fails on the value `fail_on` if it is set.
class DoubleOp : public transforms::TensorOp {
 public:
  explicit DoubleOp(int32_t fail_on = -1) : fail_on_(fail_on) {}
  std::string name() const override { return "Double"; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override {
    const TensorPtr& in = columns->at(0);
    ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(DataType::kInt32, in->shape()));
    const auto* src = in->data_as<int32_t>();
    auto* dst = reinterpret_cast<int32_t*>(out->mutable_data());
    if (src[0] == fail_on_) return Status::InvalidArgument("Double: refused " + std::to_string(fail_on_));
    for (int64_t i = 0; i < in->num_elements(); ++i) dst[i] = src[i] * 2;
    thread_local std::mt19937 rng(std::hash<std::thread::id>()(std::this_thread::get_id()));
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20));
    *columns = {out};
    return Status::OK();
  }

 private:
  int32_t fail_on_;
};

std::shared_ptr<DatasetOp> DoubleMap(std::shared_ptr<DatasetOp> child, int workers,
                                     int32_t fail_on = -1) {
  auto map = std::make_shared<MapOp>(
      std::vector<std::shared_ptr<transforms::TensorOp>>{std::make_shared<DoubleOp>(fail_on)},
      std::vector<int>{0},
      std::vector<MapOp::OutputColumn>{{true, 0}, {false, 1}}, workers);
  map->AddChild(std::move(child));
  return map;
}

std::shared_ptr<DatasetOp> Batch(std::shared_ptr<DatasetOp> child, int64_t size, bool drop,
                                 int workers = 2) {
  BatchOp::Options options;
  options.batch_size = size;
  options.drop_remainder = drop;
  options.column_names = {"data", "label"};
  return MakeBatch(std::move(child), std::move(options), workers);
}

// Reads the whole tree; returns the labels of each epoch (batches are flattened).
std::vector<std::vector<int64_t>> ReadAll(ExecutionTree* tree, Status* error = nullptr) {
  std::vector<std::vector<int64_t>> epochs(1);
  for (;;) {
    TensorRow row;
    Status status = tree->GetNext(&row);
    if (!status.ok()) {
      if (error != nullptr) *error = status;
      return epochs;
    }
    if (row.is_end_of_data()) return epochs;
    if (row.is_end_of_epoch()) {
      epochs.emplace_back();
      continue;
    }
    const TensorPtr& labels = row[1];
    const TensorPtr& data = row[0];
    for (int64_t i = 0; i < labels->num_elements(); ++i) {
      const int64_t label = labels->data_as<int64_t>()[i];
      EXPECT_EQ(data->data_as<int32_t>()[i * 4], 2 * label) << "data travels with its label";
      epochs.back().push_back(label);
    }
  }
}

std::vector<int64_t> Range(int64_t n) {
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

TEST(PipelineTest, ParallelMapKeepsOrderAcrossEpochs) {
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

TEST(PipelineTest, BatchKeepsOrDropsTheRemainder) {
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

TEST(PipelineTest, RepeatBelowBatchBatchesAcrossRepetitions) {
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(DoubleMap(Source(5), 2));
  EXPECT_EQ(BatchSizes(Batch(repeat, 3, false)), (std::vector<int64_t>{3, 3, 3, 1}));
}

TEST(PipelineTest, RepeatAboveBatchRestartsTheBatches) {
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(Batch(DoubleMap(Source(5), 2), 3, false));
  EXPECT_EQ(BatchSizes(repeat), (std::vector<int64_t>{3, 2, 3, 2}));
}

TEST(PipelineTest, AnErrorInAWorkerReachesTheConsumerAndStopsEverything) {
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

TEST(PipelineTest, StoppingMidEpochLeavesNoThread) {
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

TEST(PipelineTest, StopFromAnotherThreadWakesAWaitingConsumer) {
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


std::vector<int64_t> Labels(ExecutionTree* tree) {
  std::vector<int64_t> out;
  for (;;) {
    TensorRow row;
    EXPECT_TRUE(tree->GetNext(&row).ok());
    if (row.is_end_of_data()) return out;
    if (row.is_end_of_epoch()) {
      out.push_back(-1);
      continue;
    }
    out.push_back(row[1]->data_as<int64_t>()[0]);
  }
}

TEST(TakeSkipTest, TakeStopsAnEndlessRepeat) {
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

TEST(TakeSkipTest, TakeInsideRepeatTakesFromEachPass) {
  auto take = std::make_shared<TakeOp>(2);
  take->AddChild(DoubleMap(Source(100), 3));
  auto repeat = std::make_shared<RepeatOp>(3);
  repeat->AddChild(take);
  ExecutionTree tree(repeat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
}

TEST(TakeSkipTest, SkipDropsTheFirstRowsOfEachPass) {
  auto skip = std::make_shared<SkipOp>(3);
  skip->AddChild(Source(5));
  auto repeat = std::make_shared<RepeatOp>(2);
  repeat->AddChild(skip);
  ExecutionTree tree(repeat, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(Labels(&tree), (std::vector<int64_t>{3, 4, 3, 4}));
}


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

std::shared_ptr<DatasetOp> MapWith(std::shared_ptr<transforms::TensorOp> op, std::shared_ptr<DatasetOp> child) {
  auto map = std::make_shared<MapOp>(std::vector<std::shared_ptr<transforms::TensorOp>>{std::move(op)},
                                     std::vector<int>{0},
                                     std::vector<MapOp::OutputColumn>{{true, 0}, {false, 1}}, 1);
  map->AddChild(std::move(child));
  return map;
}

TEST(BlockLimitTest, ReachesTheSourceThroughMapsAndStopsAtBatch) {
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

// Blocks Wait() until Cancel(), as a wait on a worker process does; counts the calls.
// Wait runs on an op's threads, the rest on the test's. A wait that no Cancel() ends
// gives up after kGiveUp, so that a broken forward fails the test instead of hanging it.
class CancelLatch {
 public:
  static constexpr std::chrono::seconds kGiveUp{30};

  Status Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    waiting_ = true;
    changed_.notify_all();
    if (!changed_.wait_for(lock, kGiveUp, [&] { return cancelled_; })) {
      ADD_FAILURE() << "CancelLatch: no Cancel() reached the waiting op";
      return Status::Internal("never cancelled");
    }
    return Status::Cancelled("waiting: cancelled");
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    ++cancels_;
    changed_.notify_all();
  }
  void ClearCancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = false;
    ++clears_;
  }
  void AwaitWaiting() {
    std::unique_lock<std::mutex> lock(mu_);
    ASSERT_TRUE(changed_.wait_for(lock, kGiveUp, [&] { return waiting_; }))
        << "CancelLatch: the op never started waiting";
  }
  int cancels() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cancels_;
  }
  int clears() const {
    std::lock_guard<std::mutex> lock(mu_);
    return clears_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool waiting_ = false;
  bool cancelled_ = false;
  int cancels_ = 0;
  int clears_ = 0;
};

class MapWaitsForCancel : public transforms::TensorOp {
 public:
  std::string name() const override { return "MapWaitsForCancel"; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override { return Status::OK(); }
  Status ComputeBlock(std::vector<TensorList>* rows, const std::vector<uint64_t>& /*seeds*/) override { return latch.Wait(); }
  void Cancel() override { latch.Cancel(); }
  void ClearCancel() override { latch.ClearCancel(); }
  CancelLatch latch;
};

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

// Launches `root`, waits until `latch` blocks, stops the tree: Stop() must return (the
// op's thread woken and joined) and the latch must have been cancelled, then cleared.
void ExpectStopWakesTheLatch(const std::shared_ptr<DatasetOp>& root, CancelLatch& latch) {
  const int threads_before = ThreadCount();
  {
    ExecutionTree tree(root, PipelineSettings{});
    ASSERT_TRUE(tree.Launch().ok());
    latch.AwaitWaiting();
    tree.Stop();  // returns only once the op's thread is joined
    EXPECT_GE(latch.cancels(), 1);
  }
  EXPECT_EQ(ThreadCount(), threads_before);
  root->ClearCancel();
  EXPECT_EQ(latch.clears(), 1) << "ClearCancel reaches the waiting function";
}

TEST(CancelTest, StoppingTheTreeWakesAMapOperationWaitingOutsideTheConnectors) {
  auto op = std::make_shared<MapWaitsForCancel>();
  ExpectStopWakesTheLatch(MapWith(op, Source(100)), op->latch);
}

TEST(CancelTest, StoppingTheTreeWakesAPerBatchMapWaitingOutsideTheConnectors) {
  auto function = std::make_shared<BatchMapWaitsForCancel>();
  BatchOp::Options options;
  options.batch_size = 4;
  options.column_names = {"data", "label"};
  options.batch_map = function;
  options.input_indices = {0};
  options.layout = {{true, 0}, {false, 1}};
  ExpectStopWakesTheLatch(MakeBatch(Source(100), options, 2), function->latch);
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
  auto map = std::make_shared<MapOp>(std::vector<std::shared_ptr<transforms::TensorOp>>{op},
                                     std::vector<int>{0},
                                     std::vector<MapOp::OutputColumn>{{true, 0}, {false, 1}}, 2);
  map->AddChild(source);
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


namespace seeds {

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

TEST(RowSeedTest, EveryRowHasItsOwnSeedWhateverTheWorkersAndBlocks) {
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

}  // namespace seeds

}  // namespace
}  // namespace headrace::engine
