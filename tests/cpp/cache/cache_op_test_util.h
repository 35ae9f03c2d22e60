// Helpers of the cache-op tests: sources that count what is read from them, a tree read to
// its end, and the warnings the engine gives meanwhile.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/tensor.h"
#include "headrace/core/tensor_row.h"
#include "headrace/core/warning.h"
#include "headrace/engine/execution_tree.h"
#include "headrace/engine/sources/random_access_source.h"
#include "headrace/engine/sources/stream_source.h"

namespace headrace::cache::testing {

// What a test row holds: its index and a value computed from it; a row put into a cache
// before the test has `marker` added to its value, so that a test can tell where each row
// it gets came from.
struct RowValue {
  int64_t index = 0;
  int64_t value = 0;
  bool operator==(const RowValue& other) const {
    return index == other.index && value == other.value;
  }
};

inline void PrintTo(const RowValue& row, std::ostream* out) {
  *out << "{" << row.index << ", " << row.value << "}";
}

inline int64_t Computed(int64_t index) { return index * 10 + 1; }

// Row `index`: one int64 column [index, Computed(index) + marker].
inline TensorRow ValueRow(int64_t index, int64_t marker = 0) {
  TensorPtr column = Tensor::Create(DataType::kInt64, {2}).value();
  auto* data = reinterpret_cast<int64_t*>(column->mutable_data());
  data[0] = index;
  data[1] = Computed(index) + marker;
  return TensorRow(index, {column});
}

inline RowValue ValueOf(const TensorRow& row) {
  EXPECT_EQ(row.size(), 1u) << row.ToString();
  const int64_t* data = row[0]->data_as<int64_t>();
  return RowValue{data[0], data[1]};
}

// The rows `indices` as the source computes them (marker 0) or as a filled cache holds them.
inline std::vector<RowValue> Expected(const std::vector<int64_t>& indices, int64_t marker = 0) {
  std::vector<RowValue> rows;
  for (int64_t index : indices) rows.push_back(RowValue{index, Computed(index) + marker});
  return rows;
}

inline std::vector<int64_t> Range(int64_t first, int64_t end) {
  std::vector<int64_t> ids;
  for (int64_t id = first; id < end; ++id) ids.push_back(id);
  return ids;
}

// A random-access source of `size` ValueRows that records every index read.
class CountingSource : public engine::RandomAccessSource {
 public:
  explicit CountingSource(int64_t size) : size_(size) {}

  int64_t size() const override { return size_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      reads_.push_back(index);
    }
    *row = ValueRow(index);
    return Status::OK();
  }

  // The indices read so far (in no particular order: workers read in parallel), sorted.
  std::vector<int64_t> SortedReads() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<int64_t> reads = reads_;
    std::sort(reads.begin(), reads.end());
    return reads;
  }
  int64_t read_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int64_t>(reads_.size());
  }
  void ClearReads() {
    std::lock_guard<std::mutex> lock(mu_);
    reads_.clear();
  }

 private:
  const int64_t size_;
  const std::vector<std::string> names_{"x"};
  mutable std::mutex mu_;
  std::vector<int64_t> reads_;
};

// A stream of ValueRows 0, 1, ... that counts its starts; set_size changes the length of
// the passes started later (a stream that is not the same when read again).
class CountingStream : public engine::StreamSource {
 public:
  explicit CountingStream(int64_t size) : size_(size) {}

  const std::vector<std::string>& column_names() const override { return names_; }
  Status Reset() override {
    std::lock_guard<std::mutex> lock(mu_);
    ++starts_;
    next_ = 0;
    pass_size_ = size_;
    return Status::OK();
  }
  Status NextBlock(int64_t max_rows, std::chrono::microseconds /*max_delay*/,
                   engine::RowBlock* block, bool* end) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (int64_t i = 0; i < max_rows && next_ < pass_size_; ++i) block->push_back(ValueRow(next_++));
    *end = next_ >= pass_size_;
    return Status::OK();
  }

  int starts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return starts_;
  }
  void set_size(int64_t size) {
    std::lock_guard<std::mutex> lock(mu_);
    size_ = size;
  }

 private:
  const std::vector<std::string> names_{"x"};
  mutable std::mutex mu_;
  int64_t size_;
  int64_t pass_size_ = 0;
  int64_t next_ = 0;
  int starts_ = 0;
};

// Reads `tree` (launched here) to its end: the rows of each epoch, and the error that
// ended it, if any.
struct TreeOutput {
  std::vector<std::vector<RowValue>> epochs;
  Status error;
};

inline TreeOutput ReadAll(engine::ExecutionTree* tree) {
  TreeOutput out;
  out.error = tree->Launch();
  if (!out.error.ok()) return out;
  out.epochs.emplace_back();
  for (;;) {
    TensorRow row;
    out.error = tree->GetNext(&row);
    if (!out.error.ok() || row.is_end_of_data()) return out;
    if (row.is_end_of_epoch()) {
      out.epochs.emplace_back();
      continue;
    }
    out.epochs.back().push_back(ValueOf(row));
  }
}

// The settings of the tests' trees: small blocks, so that passes take many of them.
inline engine::PipelineSettings Settings(int64_t num_epochs) {
  engine::PipelineSettings settings;
  settings.num_epochs = num_epochs;
  settings.block_rows = 8;
  settings.prefetch_rows = 16;
  return settings;
}

// Collects the engine's warnings while it lives (then stderr again).
class CapturedWarnings {
 public:
  CapturedWarnings() {
    SetWarningHandler([this](const std::string& message) {
      std::lock_guard<std::mutex> lock(mu_);
      messages_.push_back(message);
    });
  }
  ~CapturedWarnings() { SetWarningHandler(nullptr); }
  CapturedWarnings(const CapturedWarnings&) = delete;
  CapturedWarnings& operator=(const CapturedWarnings&) = delete;

  std::vector<std::string> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> messages_;
};

// Whether `text` contains `part`, for EXPECT_TRUE with a message.
inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace headrace::cache::testing
