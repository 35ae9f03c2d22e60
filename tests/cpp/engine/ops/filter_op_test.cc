// FilterOp: the rows whose predicate holds (a bool, or a non-zero number), in input order
// on several workers; a predicate that does not return one value is an error naming it.
#include "headrace/engine/ops/filter_op.h"

#include <gtest/gtest.h>

#include <functional>

#include "../engine_test_util.h"

namespace headrace::engine {
namespace {

using testing::ColumnValues;
using testing::Source;

// A predicate over one int64 column: `result` of its value, as one scalar of `dtype`.
class LabelPredicate : public transforms::TensorOp {
 public:
  LabelPredicate(std::string name, std::function<TensorList(int64_t)> result)
      : name_(std::move(name)), result_(std::move(result)) {}
  std::string name() const override { return name_; }
  Status Compute(TensorList* columns, uint64_t /*seed*/) override {
    if (columns->size() != 1) return Status::Internal("expected the label column only");
    *columns = result_(columns->front()->data_as<int64_t>()[0]);
    return Status::OK();
  }

 private:
  const std::string name_;
  const std::function<TensorList(int64_t)> result_;
};

// The labels a filter over column 1 of Source(rows) keeps, -1 between epochs.
std::vector<int64_t> Kept(std::shared_ptr<transforms::TensorOp> predicate, int64_t rows,
                          int workers, int64_t num_epochs = 1) {
  auto filter = std::make_shared<FilterOp>(std::move(predicate), std::vector<int>{1}, workers);
  filter->AddChild(Source(rows));
  PipelineSettings settings;
  settings.num_epochs = num_epochs;
  settings.block_rows = 8;
  ExecutionTree tree(filter, settings);
  EXPECT_TRUE(tree.Launch().ok());
  return ColumnValues(&tree, 1);
}

TEST(FilterOpTest, KeepsTheRowsWhosePredicateIsTrueInOrder) {
  auto even = std::make_shared<LabelPredicate>("even", [](int64_t label) {
    return TensorList{*Tensor::Scalar(DataType::kBool, label % 2 == 0)};
  });
  std::vector<int64_t> expected;
  for (int64_t i = 0; i < 200; i += 2) expected.push_back(i);
  EXPECT_EQ(Kept(even, 200, 3), expected);
}

TEST(FilterOpTest, ANonZeroNumberKeepsTheRowAndBlocksMayEmpty) {
  // Rows 8-23 (two whole blocks of 8) are all dropped: their blocks travel empty.
  auto outside = std::make_shared<LabelPredicate>("outside", [](int64_t label) {
    return TensorList{*Tensor::Scalar<int32_t>(DataType::kInt32, label < 8 || label >= 24 ? 5 : 0)};
  });
  std::vector<int64_t> expected = {0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, -1,
                                   0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29};
  EXPECT_EQ(Kept(outside, 30, 2, /*num_epochs=*/2), expected);
}

TEST(FilterOpTest, APredicateThatKeepsNothingGivesEmptyEpochs) {
  auto never = std::make_shared<LabelPredicate>("never", [](int64_t) {
    return TensorList{*Tensor::Scalar(DataType::kBool, false)};
  });
  EXPECT_EQ(Kept(never, 50, 2, /*num_epochs=*/2), (std::vector<int64_t>{-1}));
}

TEST(FilterOpTest, APredicateReturningTwoColumnsIsAnErrorNamingIt) {
  auto two = std::make_shared<LabelPredicate>("two_values", [](int64_t) {
    return TensorList{*Tensor::Scalar(DataType::kBool, true), *Tensor::Scalar(DataType::kBool, true)};
  });
  auto filter = std::make_shared<FilterOp>(two, std::vector<int>{1}, 2);
  filter->AddChild(Source(10));
  ExecutionTree tree(filter, PipelineSettings{});
  ASSERT_TRUE(tree.Launch().ok());
  TensorRow row;
  const Status status = tree.GetNext(&row);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "filter: predicate 'two_values' must return one bool, got 2 columns");
}

}  // namespace
}  // namespace headrace::engine
