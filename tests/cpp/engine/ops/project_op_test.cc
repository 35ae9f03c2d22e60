// ProjectOp: the columns asked for, in the order asked for, in every row.
#include "headrace/engine/ops/project_op.h"

#include <gtest/gtest.h>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::Source;

TEST(ProjectOpTest, KeepsTheColumnsAtTheIndicesInTheirOrder) {
  auto project = std::make_shared<ProjectOp>(std::vector<int>{1, 0});
  project->AddChild(Source(5));
  PipelineSettings settings;
  settings.num_epochs = 2;
  settings.block_rows = 2;  // several blocks, the last one partial
  ExecutionTree tree(project, settings);
  ASSERT_TRUE(tree.Launch().ok());
  std::vector<int64_t> labels;
  for (;;) {
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    if (row.is_end_of_data()) break;
    if (row.is_end_of_epoch()) {
      labels.push_back(-1);
      continue;
    }
    ASSERT_EQ(row.size(), 2u);
    ASSERT_EQ(row[0]->dtype(), DataType::kInt64) << "the label comes first";
    ASSERT_EQ(row[1]->dtype(), DataType::kInt32);
    ASSERT_EQ(row[1]->shape(), (Shape{4}));
    const int64_t label = row[0]->data_as<int64_t>()[0];
    EXPECT_EQ(row[1]->data_as<int32_t>()[3], label) << "the data of the same row";
    labels.push_back(label);
  }
  EXPECT_EQ(labels, (std::vector<int64_t>{0, 1, 2, 3, 4, -1, 0, 1, 2, 3, 4}));
}

TEST(ProjectOpTest, CanDropAndRepeatColumns) {
  auto project = std::make_shared<ProjectOp>(std::vector<int>{1, 1});
  project->AddChild(Source(3));
  ExecutionTree tree(project, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (;;) {
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    if (!row.is_data()) break;
    ASSERT_EQ(row.size(), 2u);
    rows.emplace_back(row[0]->data_as<int64_t>()[0], row[1]->data_as<int64_t>()[0]);
  }
  EXPECT_EQ(rows, (std::vector<std::pair<int64_t, int64_t>>{{0, 0}, {1, 1}, {2, 2}}));
}

TEST(ProjectOpTest, DescribesItsIndices) {
  auto project = std::make_shared<ProjectOp>(std::vector<int>{2, 0});
  EXPECT_EQ(project->TreeString(), "Project(columns=[2, 0])\n");
}

}  // namespace
}  // namespace headrace::engine
