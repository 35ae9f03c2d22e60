// ZipOp: row i of every child side by side, as long as the shortest child lasts.
#include "headrace/engine/ops/zip_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"
#include "headrace/engine/ops/repeat_op.h"

namespace headrace::engine {
namespace {

using testing::ColumnValues;
using testing::Source;
using testing::SourceOf;
using testing::ThreadCount;

// Per data row: the label columns (1 and 3) of a zip of two Sources; {-1, -1} at an end of epoch.
std::vector<std::pair<int64_t, int64_t>> ZippedLabels(ExecutionTree* tree) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (;;) {
    TensorRow row;
    const Status status = tree->GetNext(&row);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || row.is_end_of_data()) return out;
    if (row.is_end_of_epoch()) {
      out.emplace_back(-1, -1);
      continue;
    }
    EXPECT_EQ(row.size(), 4u) << "the columns of both children";
    if (row.size() != 4) return out;
    EXPECT_EQ(row[0]->data_as<int32_t>()[0], row[1]->data_as<int64_t>()[0]);
    EXPECT_EQ(row[2]->data_as<int32_t>()[0], row[3]->data_as<int64_t>()[0]);
    out.emplace_back(row[1]->data_as<int64_t>()[0], row[3]->data_as<int64_t>()[0]);
  }
}

TEST(ZipOpTest, PutsRowIOfEachChildSideBySideUntilTheShortestEnds) {
  auto zip = std::make_shared<ZipOp>();
  zip->AddChild(Source(5));
  zip->AddChild(SourceOf({10, 11, 12}));
  PipelineSettings settings;
  settings.num_epochs = 2;
  ExecutionTree tree(zip, settings);
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(ZippedLabels(&tree), (std::vector<std::pair<int64_t, int64_t>>{
                                     {0, 10}, {1, 11}, {2, 12}, {-1, -1}, {0, 10}, {1, 11}, {2, 12}}));
}

TEST(ZipOpTest, StopsAnEndlessChildWhenTheOtherEnds) {
  const int threads_before = ThreadCount();
  {
    auto endless = std::make_shared<RepeatOp>(-1);
    endless->AddChild(SourceOf({7, 8}));
    auto zip = std::make_shared<ZipOp>();
    zip->AddChild(endless);
    zip->AddChild(Source(5));
    PipelineSettings settings;
    settings.num_epochs = 2;
    ExecutionTree tree(zip, settings);
    ASSERT_TRUE(tree.Launch().ok());
    EXPECT_EQ(ZippedLabels(&tree),
              (std::vector<std::pair<int64_t, int64_t>>{{7, 0}, {8, 1}, {7, 2}, {8, 3}, {7, 4}, {-1, -1},
                                                        {7, 0}, {8, 1}, {7, 2}, {8, 3}, {7, 4}}))
        << "each epoch starts the endless child again";
  }
  EXPECT_EQ(ThreadCount(), threads_before);
}

TEST(ZipOpTest, AZipOfOneChildIsThatChild) {
  auto zip = std::make_shared<ZipOp>();
  zip->AddChild(SourceOf({4, 5, 6}));
  ExecutionTree tree(zip, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  EXPECT_EQ(ColumnValues(&tree, 1), (std::vector<int64_t>{4, 5, 6}));
}

}  // namespace
}  // namespace headrace::engine
