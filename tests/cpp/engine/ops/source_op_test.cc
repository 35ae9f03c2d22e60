// SourceOp over a source that builds its own batches (GroupRows() > 1): every run of
// indices becomes one row, numbered by its place in the pass, in order over several
// workers; the short last run is kept or dropped as the source says.
#include "headrace/engine/ops/source_op.h"

#include <gtest/gtest.h>

#include <vector>

#include "headrace/engine/execution_tree.h"
#include "headrace/engine/samplers/sequential_sampler.h"

namespace headrace::engine {
namespace {

// Row r of a run: [first index, number of indices] (int64).
class RunsSource : public RandomAccessSource {
 public:
  RunsSource(int64_t size, int64_t group, bool drop) : size_(size), group_(group), drop_(drop) {}
  int64_t size() const override { return size_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override {
    RowBlock block;
    RETURN_IF_ERROR(GetBlock(&index, 1, &block));
    *row = std::move(block.front());
    return Status::OK();
  }
  Status GetBlock(const int64_t* indices, size_t count, RowBlock* block) override {
    for (size_t start = 0; start < count; start += static_cast<size_t>(group_)) {
      const size_t length = std::min(count - start, static_cast<size_t>(group_));
      ASSIGN_OR_RETURN(TensorPtr run, Tensor::Create(DataType::kInt64, {2}));
      auto* values = reinterpret_cast<int64_t*>(run->mutable_data());
      values[0] = indices[start];
      values[1] = static_cast<int64_t>(length);
      block->emplace_back(-1, TensorColumns{run});
    }
    return Status::OK();
  }
  int64_t GroupRows() const override { return group_; }
  bool DropsShortGroup() const override { return drop_; }

 private:
  int64_t size_, group_;
  bool drop_;
  std::vector<std::string> names_{"run"};
};

struct ReadRun {
  int64_t id, first, length;
};

std::vector<ReadRun> ReadRuns(int64_t size, int64_t group, bool drop, int workers,
                              int64_t epochs = 1) {
  auto source = std::make_shared<RunsSource>(size, group, drop);
  auto op = std::make_shared<SourceOp>("Runs", source, std::make_shared<SequentialSampler>(0, 0),
                                       workers);
  PipelineSettings settings;
  settings.block_rows = 16;  // blocks of one run of 7, or of two runs of 8
  settings.num_epochs = epochs;
  ExecutionTree tree(op, settings);
  EXPECT_TRUE(tree.Launch().ok());
  std::vector<ReadRun> runs;
  for (;;) {
    TensorRow row;
    const Status status = tree.GetNext(&row);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || row.is_end_of_data()) return runs;
    if (!row.is_data()) continue;
    const auto* values = row[0]->data_as<int64_t>();
    runs.push_back({row.id(), values[0], values[1]});
  }
}

TEST(SourceOpTest, EveryRunOfIndicesIsOneRowInOrder) {
  for (int workers : {1, 3}) {
    for (int64_t group : {7, 8}) {
      const std::vector<ReadRun> runs = ReadRuns(100, group, /*drop=*/false, workers);
      ASSERT_EQ(runs.size(), static_cast<size_t>((100 + group - 1) / group));
      for (size_t r = 0; r < runs.size(); ++r) {
        EXPECT_EQ(runs[r].id, static_cast<int64_t>(r)) << "numbered as batches are";
        EXPECT_EQ(runs[r].first, static_cast<int64_t>(r) * group);
        EXPECT_EQ(runs[r].length, r + 1 < runs.size() ? group : 100 - (runs.size() - 1) * group);
      }
    }
  }
}

TEST(SourceOpTest, AShortLastRunIsDroppedWhenTheSourceSaysSo) {
  const std::vector<ReadRun> runs = ReadRuns(100, 7, /*drop=*/true, 2);
  ASSERT_EQ(runs.size(), 14u);  // 98 of the 100 indices; the run of 2 is dropped
  for (const ReadRun& run : runs) EXPECT_EQ(run.length, 7);
  EXPECT_EQ(runs.back().first, 13 * 7);
  EXPECT_TRUE(ReadRuns(5, 7, /*drop=*/true, 2).empty());
}

TEST(SourceOpTest, RunsAreNumberedAfreshInEveryPass) {
  const std::vector<ReadRun> runs = ReadRuns(30, 8, /*drop=*/false, 2, /*epochs=*/2);
  ASSERT_EQ(runs.size(), 8u);
  for (size_t r = 0; r < runs.size(); ++r) {
    EXPECT_EQ(runs[r].id, static_cast<int64_t>(r % 4));
    EXPECT_EQ(runs[r].first, static_cast<int64_t>(r % 4) * 8);
  }
}

}  // namespace
}  // namespace headrace::engine
