// RecordFilesOp over a fake format: the output is the spans one after another whatever
// the reader count; num_samples, errors in order, and no thread left after a stop.
#include "headrace/engine/ops/record_files_op.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "headrace/engine/execution_tree.h"

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

// A "file" named "<rows>:<tag>[:<failing row>]" holds rows tag * 1000 + i, i < rows. Reads
// sleep a little at random, so that readers finish out of order.
class FakeReader : public RecordFileReader {
 public:
  FakeReader(int64_t rows, int64_t tag, int64_t fail_at, int64_t first_row = 0)
      : rows_(rows), tag_(tag), fail_at_(fail_at), next_(first_row), random_(static_cast<uint32_t>(tag)) {}

  Status ReadRows(int64_t max_rows, RowBlock* block, bool* end) override {
    std::this_thread::sleep_for(std::chrono::microseconds(random_() % 300));
    while (max_rows-- > 0 && next_ < rows_) {
      if (next_ == fail_at_) return Status::DataLoss("file " + std::to_string(tag_) + " is corrupt at row " + std::to_string(next_));
      ASSIGN_OR_RETURN(TensorPtr value, Tensor::Scalar(DataType::kInt64, tag_ * 1000 + next_));
      block->push_back(TensorRow(0, {value}));
      ++next_;
    }
    *end = next_ == rows_;
    return Status::OK();
  }

 private:
  const int64_t rows_, tag_, fail_at_;
  int64_t next_;
  std::mt19937 random_;
};

class FakeFormat : public RecordFormat {
 public:
  // `seeks`: files open at any row (as plain TFRecord files do), so the op cuts them.
  explicit FakeFormat(bool seeks = false) : seeks_(seeks) {}

  std::string name() const override { return "Fake"; }
  bool SeeksRows() const override { return seeks_; }
  Result<std::unique_ptr<RecordFileReader>> OpenAt(const std::string& path,
                                                   int64_t first_row) const override {
    if (!seeks_) return RecordFormat::OpenAt(path, first_row);
    ++opened_at_;
    int64_t rows = 0, tag = 0, fail_at = -1;
    std::sscanf(path.c_str(), "%ld:%ld:%ld", &rows, &tag, &fail_at);
    return std::unique_ptr<RecordFileReader>(new FakeReader(rows, tag, fail_at, first_row));
  }
  // How many pieces were opened at a row.
  int opened_at() const { return opened_at_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Result<std::unique_ptr<RecordFileReader>> Open(const std::string& path) const override {
    int64_t rows = 0, tag = 0, fail_at = -1;
    if (std::sscanf(path.c_str(), "%ld:%ld:%ld", &rows, &tag, &fail_at) < 2) {
      return Status::NotFound("cannot open " + path);
    }
    return std::unique_ptr<RecordFileReader>(new FakeReader(rows, tag, fail_at));
  }
  Result<int64_t> CountRows(const std::string& path) const override {
    return std::stol(path.substr(0, path.find(':')));
  }

 private:
  std::vector<std::string> names_ = {"value"};
  const bool seeks_;
  mutable std::atomic<int> opened_at_{0};
};

std::shared_ptr<RecordFilesOp> MakeOp(const std::vector<std::string>& files, int readers,
                                      ShardOptions options = {}, int64_t num_samples = 0,
                                      std::shared_ptr<FakeFormat> format = std::make_shared<FakeFormat>()) {
  std::vector<int64_t> rows;
  for (const std::string& file : files) rows.push_back(*format->CountRows(file));
  auto plan = FileShardPlan::Make(static_cast<int64_t>(files.size()), options, rows);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return std::make_shared<RecordFilesOp>(format, files, std::move(*plan), readers, num_samples);
}

// Values of every epoch; `error` gets the error that ended the reading, if any.
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
    EXPECT_EQ(row.id(), static_cast<int64_t>(epochs.back().size())) << "rows are numbered in order";
    epochs.back().push_back(row[0]->data_as<int64_t>()[0]);
  }
}

std::vector<int64_t> Concatenated(const std::vector<std::pair<int64_t, int64_t>>& files) {
  std::vector<int64_t> values;
  for (auto [rows, tag] : files) {
    for (int64_t i = 0; i < rows; ++i) values.push_back(tag * 1000 + i);
  }
  return values;
}

TEST(RecordFilesOpTest, FilesComeOneAfterAnotherWithAnyReaderCount) {
  const std::vector<std::string> files = {"300:1", "5:2", "0:3", "77:4", "129:5"};
  const auto expected = Concatenated({{300, 1}, {5, 2}, {0, 3}, {77, 4}, {129, 5}});
  for (int readers : {1, 2, 3, 8}) {
    PipelineSettings settings;
    settings.num_epochs = 2;
    settings.block_rows = 16;
    ExecutionTree tree(MakeOp(files, readers), settings);
    ASSERT_TRUE(tree.Launch().ok());
    auto epochs = ReadAll(&tree);
    ASSERT_GE(epochs.size(), 2u);
    EXPECT_EQ(epochs[0], expected) << readers << " readers";
    EXPECT_EQ(epochs[1], expected) << readers << " readers";
  }
}

TEST(RecordFilesOpTest, FilesThatOpenAtAnyRowAreReadInPiecesInOrder) {
  const std::vector<std::string> files = {"1000:1", "3:2", "517:3"};
  const auto expected = Concatenated({{1000, 1}, {3, 2}, {517, 3}});
  for (int readers : {1, 2, 3}) {
    auto format = std::make_shared<FakeFormat>(/*seeks=*/true);
    PipelineSettings settings;
    settings.num_epochs = 2;
    settings.block_rows = 32;  // pieces of 64 rows
    ExecutionTree tree(MakeOp(files, readers, {}, 0, format), settings);
    ASSERT_TRUE(tree.Launch().ok());
    auto epochs = ReadAll(&tree);
    EXPECT_EQ(epochs[0], expected) << readers << " readers";
    EXPECT_EQ(epochs[1], expected) << readers << " readers";
    // ceil(1000 / 64) + 1 + ceil(517 / 64) pieces a pass.
    EXPECT_EQ(format->opened_at(), 2 * (16 + 1 + 9));
  }
}

TEST(RecordFilesOpTest, ShuffledFilesChangeEachEpochAndRowShardsSkip) {
  ShardOptions options;
  options.shuffle_files = true;
  options.seed = 11;
  const std::vector<std::string> files = {"10:1", "10:2", "10:3", "10:4", "10:5", "10:6"};
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(MakeOp(files, 3, options), settings);
  ASSERT_TRUE(tree.Launch().ok());
  auto epochs = ReadAll(&tree);
  ASSERT_EQ(epochs[0].size(), 60u);
  EXPECT_NE(epochs[0], epochs[1]);
  for (const auto& epoch : epochs) {
    for (size_t i = 0; i + 1 < epoch.size(); i += 10) {
      EXPECT_EQ(epoch[i] % 1000, 0);  // whole files, in their row order
      EXPECT_EQ(epoch[i + 9], epoch[i] + 9);
    }
  }

  ShardOptions second;
  second.num_shards = 4;  // 14 rows: runs of 4
  second.shard_id = 1;
  second.equal_rows = true;
  ExecutionTree sharded(MakeOp({"5:1", "5:2", "4:3"}, 2, second), PipelineSettings{});
  ASSERT_TRUE(sharded.Launch().ok());
  EXPECT_EQ(ReadAll(&sharded)[0], (std::vector<int64_t>{1000 + 4, 2000, 2001, 2002}));
}

TEST(RecordFilesOpTest, NumSamplesEndsThePassEarly) {
  PipelineSettings settings;
  settings.num_epochs = 2;
  settings.block_rows = 8;
  ExecutionTree tree(MakeOp({"50:1", "50:2", "50:3"}, 2, {}, 75), settings);
  ASSERT_TRUE(tree.Launch().ok());
  auto epochs = ReadAll(&tree);
  const auto all = Concatenated({{50, 1}, {50, 2}});
  EXPECT_EQ(epochs[0], std::vector<int64_t>(all.begin(), all.begin() + 75));
  EXPECT_EQ(epochs[1], epochs[0]);
}

TEST(RecordFilesOpTest, AnErrorArrivesAfterTheRowsBeforeIt) {
  PipelineSettings settings;
  settings.block_rows = 4;
  ExecutionTree tree(MakeOp({"20:1", "20:2:13", "20:3"}, 3), settings);
  ASSERT_TRUE(tree.Launch().ok());
  Status error;
  auto epochs = ReadAll(&tree, &error);
  EXPECT_EQ(error.code(), StatusCode::kDataLoss);
  EXPECT_EQ(error.message(), "file 2 is corrupt at row 13");
  // Every row before the failing one came first (the block holding it did not).
  ASSERT_GE(epochs[0].size(), 20u);
  EXPECT_LE(epochs[0].size(), 33u);
  EXPECT_EQ(epochs[0][19], 1019);
}

TEST(RecordFilesOpTest, StoppingMidPassLeavesNoThread) {
  const int before = ThreadCount();
  for (int round = 0; round < 5; ++round) {
    PipelineSettings settings;
    settings.block_rows = 4;
    settings.prefetch_rows = 4;
    ExecutionTree tree(MakeOp({"5000:1", "5000:2", "5000:3", "5000:4"}, 4), settings);
    ASSERT_TRUE(tree.Launch().ok());
    TensorRow row;
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(tree.GetNext(&row).ok());
  }  // the tree is dropped with readers blocked on full queues
  EXPECT_EQ(ThreadCount(), before);
}

}  // namespace
}  // namespace headrace::engine
