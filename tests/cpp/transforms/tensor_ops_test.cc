// The tensor ops of mindspore.dataset.transforms (tensor_gather, Slice, PadEnd, Unique,
// Mask, Fill) and the random compositions: values, dtypes, errors, and that every draw
// comes from the row's seed. The Python tests hold them to MindSpore's outputs.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

#include "../core/tensor_test_util.h"
#include "headrace/transforms/fill.h"
#include "headrace/transforms/mask.h"
#include "headrace/transforms/pad_end.h"
#include "headrace/transforms/random_compose.h"
#include "headrace/transforms/slice.h"
#include "headrace/transforms/tensor_gather.h"
#include "headrace/transforms/unique.h"

namespace headrace::transforms {
namespace {

using testing::Vector;

template <typename T>
std::vector<T> Values(const TensorPtr& tensor) {
  const T* data = tensor->data_as<T>();
  return std::vector<T>(data, data + tensor->num_elements());
}

TensorPtr Range(Shape shape) {
  TensorPtr tensor = *Tensor::Create(DataType::kInt64, shape);
  auto* values = reinterpret_cast<int64_t*>(tensor->mutable_data());
  for (int64_t i = 0; i < tensor->num_elements(); ++i) values[i] = i;
  return tensor;
}

TensorPtr Apply(TensorOp& op, TensorPtr input, uint64_t seed = 0) {
  TensorList columns = {std::move(input)};
  const Status status = op.Compute(&columns, seed);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return columns.empty() ? nullptr : columns.front();
}

TEST(TensorGatherTest, RefusesPicksThatDoNotFillTheShapeOrMixedDtypes) {
  const TensorPtr a = Range({3});
  EXPECT_FALSE(GatherElements({a.get()}, {{0, 0}}, DataType::kInt64, {2}).ok());
  const TensorPtr b = *Tensor::Scalar<int32_t>(DataType::kInt32, 1);
  EXPECT_FALSE(GatherElements({a.get(), b.get()}, {{0, 0}}, DataType::kInt64, {1}).ok());
  EXPECT_EQ(ElementStrides({2, 3, 4}), (std::vector<int64_t>{12, 4, 1}));
}

TEST(SliceTest, RangesFollowPythonsSliceIndices) {
  Slice reverse({SliceOption::Range(std::nullopt, std::nullopt, -2)});
  EXPECT_EQ(Values<int64_t>(Apply(reverse, Range({6}))), (std::vector<int64_t>{5, 3, 1}));
  Slice clipped({SliceOption::Range(-100, 100, 1)});
  EXPECT_EQ(Apply(clipped, Range({4}))->shape(), (Shape{4}));
  Slice empty({SliceOption::Range(3, 1, 1)});
  EXPECT_EQ(Apply(empty, Range({4}))->shape(), (Shape{0}));
}

TEST(SliceTest, IndicesKeepTheirDimensionAndMissingOptionsKeepTheRest) {
  Slice op({SliceOption::Indices({-1}), SliceOption::Indices({0, 0})});
  const TensorPtr out = Apply(op, Range({2, 3, 2}));
  EXPECT_EQ(out->shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(Values<int64_t>(out), (std::vector<int64_t>{6, 7, 6, 7}));
  EXPECT_FALSE(Slice::Make({SliceOption::Indices({})}).ok());
  EXPECT_FALSE(Slice::Make({SliceOption::Range(0, 1, 0)}).ok());
  TensorList columns = {Range({3})};
  EXPECT_EQ(Slice({SliceOption::Indices({3})}).Compute(&columns, 0).code(), StatusCode::kOutOfRange);
}

TEST(PadEndTest, PadsCutsAndKeepsDimensions) {
  const TensorPtr pad = *Tensor::Scalar<double>(DataType::kFloat64, 9.7);
  const TensorPtr out = *PadOrCut(Range({2, 3}), {3, -1}, pad);
  EXPECT_EQ(out->shape(), (Shape{3, 3}));
  EXPECT_EQ(Values<int64_t>(out), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 9, 9, 9}));
  EXPECT_EQ(Values<int64_t>(*PadOrCut(Range({2, 3}), {1, 2}, nullptr)), (std::vector<int64_t>{0, 1}));
  EXPECT_FALSE(PadOrCut(Range({2}), {2, 2}, nullptr).ok());
  EXPECT_FALSE(PadEnd::Make({0}, nullptr).ok());
}

TEST(PadEndTest, StringsPadWithTheEmptyStringOrTheValue) {
  const TensorPtr words = *Tensor::FromStrings(DataType::kString, {1}, {"a"});
  const TensorPtr out = *PadOrCut(words, {3}, nullptr);
  EXPECT_EQ(out->StringAt(0), "a");
  EXPECT_EQ(out->StringAt(2), "");
  const TensorPtr value = *Tensor::FromStrings(DataType::kBytes, {}, {"x"});
  EXPECT_EQ((*PadOrCut(words, {2}, value))->StringAt(1), "x");
  EXPECT_FALSE(PadOrCut(Range({2}), {3}, value).ok());  // text into numbers
}

TEST(UniqueTest, FirstOccurrenceOrderIndexAndCounts) {
  const TensorPtr flat = Vector<int16_t>(DataType::kInt16, {4, -1, 4, 4, 7, -1});
  TensorList columns = {*Tensor::FromBuffer(DataType::kInt16, {2, 3}, flat->buffer())};
  ASSERT_TRUE(Unique().Compute(&columns, 0).ok());
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(Values<int16_t>(columns[0]), (std::vector<int16_t>{4, -1, 7}));
  EXPECT_EQ(Values<int32_t>(columns[1]), (std::vector<int32_t>{0, 1, 0, 0, 2, 1}));
  EXPECT_EQ(Values<int32_t>(columns[2]), (std::vector<int32_t>{3, 2, 1}));
}

TEST(UniqueTest, RefusesOneDimensionAndText) {
  TensorList flat = {Range({3})};
  EXPECT_FALSE(Unique().Compute(&flat, 0).ok());
  TensorList words = {*Tensor::FromStrings(DataType::kString, {1, 1}, {"a"})};
  EXPECT_FALSE(Unique().Compute(&words, 0).ok());
}

TEST(MaskAndFillTest, TheConstantTakesTheInputsDtype) {
  const auto mask = *Mask::Make(Relational::kLess, *Tensor::Scalar<double>(DataType::kFloat64, 2.5),
                                DataType::kUInt8);
  const TensorPtr out = Apply(*mask, Vector<uint8_t>(DataType::kUInt8, {1, 2, 3}));
  EXPECT_EQ(out->dtype(), DataType::kUInt8);
  EXPECT_EQ(Values<uint8_t>(out), (std::vector<uint8_t>{1, 0, 0}));  // 2.5 -> 2
  const auto fill = *Fill::Make(*Tensor::Scalar<int64_t>(DataType::kInt64, -1));
  EXPECT_EQ(Values<uint8_t>(Apply(*fill, Vector<uint8_t>(DataType::kUInt8, {1, 2}))),
            (std::vector<uint8_t>{255, 255}));
}

// Writes its seed into the row, so that a test sees which seed each step got.
class RecordSeed : public TensorOp {
 public:
  explicit RecordSeed(int64_t tag) : tag_(tag) {}
  std::string name() const override { return "RecordSeed"; }
  Status Compute(TensorList* columns, uint64_t seed) override {
    std::vector<int64_t> seen = Values<int64_t>(columns->front());
    seen.push_back(tag_);
    seen.push_back(static_cast<int64_t>(seed >> 1));
    columns->front() = Vector<int64_t>(DataType::kInt64, seen);
    return Status::OK();
  }

 private:
  const int64_t tag_;
};

TensorOpList Recorders(int count) {
  TensorOpList list;
  for (int i = 0; i < count; ++i) list.push_back(std::make_shared<RecordSeed>(i));
  return list;
}

TEST(RandomComposeTest, TheSameSeedGivesTheSameDrawAndInnerSeeds) {
  auto order = *RandomOrder::Make(Recorders(4));
  std::set<std::vector<int64_t>> tags;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    const auto first = Values<int64_t>(Apply(*order, Vector<int64_t>(DataType::kInt64, {}), seed));
    EXPECT_EQ(Values<int64_t>(Apply(*order, Vector<int64_t>(DataType::kInt64, {}), seed)), first);
    ASSERT_EQ(first.size(), 8u);
    EXPECT_NE(first[1], first[3]);  // each step its own seed
    tags.insert({first[0], first[2], first[4], first[6]});
  }
  EXPECT_GT(tags.size(), 12u);  // of the 24 orders
}

TEST(RandomComposeTest, ApplyAndChoice) {
  auto never = *RandomApply::Make(Recorders(2), 0.0);
  EXPECT_EQ(Apply(*never, Range({1}))->num_elements(), 1);
  auto always = *RandomApply::Make(Recorders(2), 1.0);
  EXPECT_EQ(Apply(*always, Range({1}))->num_elements(), 5);
  auto choice = *RandomChoice::Make(Recorders(3));
  std::set<int64_t> chosen;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    chosen.insert(Values<int64_t>(Apply(*choice, Range({0}), seed))[0]);
  }
  EXPECT_EQ(chosen, (std::set<int64_t>{0, 1, 2}));
  EXPECT_FALSE(RandomChoice::Make({}).ok());
  EXPECT_FALSE(RandomApply::Make(Recorders(1), 1.5).ok());
}

}  // namespace
}  // namespace headrace::transforms
