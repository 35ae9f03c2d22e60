// Helpers shared by the engine's op and tree tests: a table source with recognisable rows,
// a map that doubles them, batching, reading a launched tree, counting threads, and a
// latch for ops that wait outside the connectors until cancelled.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "headrace/engine/execution_tree.h"
#include "headrace/engine/ops/batch_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/samplers/sequential_sampler.h"
#include "headrace/engine/sources/tensor_table_source.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::engine::testing {

// Threads of this process now (from /proc), to check that a tree leaves none behind.
inline int ThreadCount() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// One row per label l: data [l, l, l, l] (int32) and label l (int64), columns "data" and
// "label", read in order.
inline std::shared_ptr<DatasetOp> SourceOf(const std::vector<int64_t>& values, int workers = 2) {
  const auto rows = static_cast<int64_t>(values.size());
  TensorPtr data = *Tensor::Create(DataType::kInt32, {rows, 4});
  TensorPtr labels = *Tensor::Create(DataType::kInt64, {rows});
  auto* d = reinterpret_cast<int32_t*>(data->mutable_data());
  auto* l = reinterpret_cast<int64_t*>(labels->mutable_data());
  for (int64_t i = 0; i < rows; ++i) {
    for (int k = 0; k < 4; ++k) d[i * 4 + k] = static_cast<int32_t>(values[i]);
    l[i] = values[i];
  }
  auto table = *TensorTableSource::Make({"data", "label"}, {data, labels});
  return std::make_shared<SourceOp>("NumpySlices", table,
                                    std::make_shared<SequentialSampler>(0, 0), workers);
}

inline std::vector<int64_t> Range(int64_t n) {
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

// Rows i = [i, i, i, i] (int32) with label i (int64), for i in [0, rows).
inline std::shared_ptr<DatasetOp> Source(int64_t rows, int workers = 2) {
  return SourceOf(Range(rows), workers);
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

// A map of `op` over column 0 that passes column 1 (the label) through.
inline std::shared_ptr<DatasetOp> MapWith(std::shared_ptr<transforms::TensorOp> op,
                                          std::shared_ptr<DatasetOp> child, int workers = 1) {
  auto map = std::make_shared<MapOp>(std::vector<std::shared_ptr<transforms::TensorOp>>{std::move(op)},
                                     std::vector<int>{0},
                                     std::vector<MapOp::OutputColumn>{{true, 0}, {false, 1}}, workers);
  map->AddChild(std::move(child));
  return map;
}

inline std::shared_ptr<DatasetOp> DoubleMap(std::shared_ptr<DatasetOp> child, int workers,
                                            int32_t fail_on = -1) {
  return MapWith(std::make_shared<DoubleOp>(fail_on), std::move(child), workers);
}

inline std::shared_ptr<DatasetOp> Batch(std::shared_ptr<DatasetOp> child, int64_t size, bool drop,
                                        int workers = 2) {
  BatchOp::Options options;
  options.batch_size = size;
  options.drop_remainder = drop;
  options.column_names = {"data", "label"};
  return MakeBatch(std::move(child), std::move(options), workers);
}

// Reads the whole tree of a doubled Source; returns the labels of each epoch (batches are
// flattened) and checks that every data row is twice its label.
inline std::vector<std::vector<int64_t>> ReadAll(ExecutionTree* tree, Status* error = nullptr) {
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

// The first int64 element of column `column` of every row of the tree, with -1 for each
// end of epoch.
inline std::vector<int64_t> ColumnValues(ExecutionTree* tree, size_t column) {
  std::vector<int64_t> out;
  for (;;) {
    TensorRow row;
    const Status status = tree->GetNext(&row);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || row.is_end_of_data()) return out;
    if (row.is_end_of_epoch()) {
      out.push_back(-1);
      continue;
    }
    out.push_back(row[column]->data_as<int64_t>()[0]);
  }
}

// The labels (column 1) of every row of the tree, with -1 for each end of epoch.
inline std::vector<int64_t> Labels(ExecutionTree* tree) { return ColumnValues(tree, 1); }

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

// Launches `root`, waits until `latch` blocks, stops the tree: Stop() must return (the
// op's thread woken and joined) and the latch must have been cancelled, then cleared.
inline void ExpectStopWakesTheLatch(const std::shared_ptr<DatasetOp>& root, CancelLatch& latch) {
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

}  // namespace headrace::engine::testing
