// The erasing, batch mixing and policy transforms from C++: one seed gives one output on any
// thread, different seeds differ, inputs are left as they were, MixUp across batches is
// safe to call from several threads, and bad arguments are InvalidArgument.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/erase.h"
#include "headrace/transforms/vision/flip.h"
#include "headrace/transforms/vision/mix.h"
#include "headrace/transforms/vision/policies.h"
#include "vision_test_util.h"

namespace headrace::transforms {
namespace {

using testing::BytesOf;
using testing::Photo;

// The columns `op` makes of `input` with `seed`, as bytes.
std::vector<std::string> Run(TensorOp& op, const TensorList& input, uint64_t seed) {
  TensorList columns = input;
  const Status status = op.Compute(&columns, seed);
  EXPECT_TRUE(status.ok()) << op.name() << ": " << status.ToString();
  std::vector<std::string> out;
  for (const TensorPtr& column : columns) out.push_back(BytesOf(*column));
  return out;
}

// Runs `op` over seeds 0..n-1 here and on another thread: the same outputs, the input
// untouched, and more than `distinct` different outputs.
void ExpectSeededAndThreadSafe(TensorOp& op, const TensorList& input, size_t distinct) {
  std::vector<std::string> before;
  for (const TensorPtr& column : input) before.push_back(BytesOf(*column));
  constexpr int kSeeds = 40;
  std::vector<std::vector<std::string>> first(kSeeds), again(kSeeds);
  std::thread other([&] {
    for (int seed = 0; seed < kSeeds; ++seed) again[seed] = Run(op, input, seed);
  });
  for (int seed = 0; seed < kSeeds; ++seed) first[seed] = Run(op, input, seed);
  other.join();
  EXPECT_EQ(first, again) << op.name();
  std::vector<std::string> after;
  for (const TensorPtr& column : input) after.push_back(BytesOf(*column));
  EXPECT_EQ(after, before) << op.name() << " changed its input";
  EXPECT_GT(std::set<std::vector<std::string>>(first.begin(), first.end()).size(), distinct) << op.name();
}

TensorPtr Labels(int64_t n) {
  TensorPtr labels = *Tensor::Create(DataType::kInt32, {n, n});
  auto* values = reinterpret_cast<int32_t*>(labels->mutable_data());
  for (int64_t i = 0; i < n * n; ++i) values[i] = i % (n + 1) == 0 ? 1 : 0;
  return labels;
}

TensorPtr Batch(int64_t n) {
  TensorPtr images = *Tensor::Create(DataType::kUInt8, {n, 12, 10, 3});
  const int64_t per_image = 12 * 10 * 3;
  for (int64_t i = 0; i < n; ++i) {
    const std::string bytes = BytesOf(*Photo(12, 10, static_cast<uint32_t>(i)));
    std::copy(bytes.begin(), bytes.end(), images->mutable_data() + i * per_image);
  }
  return images;
}

TEST(MiscTransformsTest, ErasingIsSeededAndThreadSafe) {
  const TensorList image = {Photo(20, 24)};
  ExpectSeededAndThreadSafe(**CutOut::Make(5, 2, true), image, 30);
  RandomErasingParams params;
  params.prob = 1.0;
  params.random_value = true;
  ExpectSeededAndThreadSafe(**RandomErasing::Make(params), image, 30);
}

TEST(MiscTransformsTest, BatchMixersAreSeededAndThreadSafe) {
  const TensorList batch = {Batch(6), Labels(6)};
  ExpectSeededAndThreadSafe(**MixUpBatch::Make(0.7), batch, 30);
  ExpectSeededAndThreadSafe(**CutMixBatch::Make(ImageBatchFormat::kNHWC, 1.0, 0.9), batch, 30);
  ExpectSeededAndThreadSafe(**MixUp::Make(6, 0.4, true), batch, 30);
}

TEST(MiscTransformsTest, PoliciesAreSeededAndThreadSafe) {
  const TensorList image = {Photo(20, 24)};
  std::vector<TensorOpPtr> ops = {std::make_shared<Invert>(), std::make_shared<HorizontalFlip>(),
                                  std::make_shared<VerticalFlip>(), *CutOut::Make(4, 1, true)};
  ExpectSeededAndThreadSafe(**UniformAugment::Make(ops, 2), image, 10);
  std::vector<SubPolicy> policy = {{{ops[0], 0.5}, {ops[3], 0.8}}, {{ops[1], 1.0}, {ops[2], 0.5}}};
  ExpectSeededAndThreadSafe(**RandomSelectSubpolicy::Make(policy), image, 10);
  ExpectSeededAndThreadSafe(**TrivialAugmentWide::Make(31, AugmentStyle{Interpolation::kPillowNearest, {0}}),
                            image, 20);
}

TEST(MiscTransformsTest, MixUpAcrossBatchesTakesBatchesFromSeveralThreads) {
  auto op = *MixUp::Make(4, 1.0, false);
  const TensorList batch = {Batch(4), Labels(4)};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        TensorList columns = batch;
        ASSERT_TRUE(op->Compute(&columns, static_cast<uint64_t>(t * 100 + i)).ok());
        ASSERT_EQ(columns[0]->dtype(), DataType::kFloat64);
        // Every output is a convex mix of the batch's images: within their value range, up
        // to rounding (l * 255 + (1 - l) * 255 may be 255.00000000000003).
        const double* values = columns[0]->data_as<double>();
        for (int64_t k = 0; k < columns[0]->num_elements(); ++k) {
          ASSERT_TRUE(values[k] >= -1e-9 && values[k] <= 255 + 1e-9) << values[k];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

TEST(MiscTransformsTest, BadArgumentsAreInvalidArgument) {
  EXPECT_EQ(CutOut::Make(0, 1, true).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Erase::Make(0, 0, 1, 1, {1, 2}).status().code(), StatusCode::kInvalidArgument);
  RandomErasingParams params;
  params.ratio_min = 0.0;
  EXPECT_EQ(RandomErasing::Make(params).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MixUpBatch::Make(0.0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CutMixBatch::Make(ImageBatchFormat::kNCHW, 1.0, 1.5).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UniformAugment::Make({std::make_shared<Invert>()}, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RandomSelectSubpolicy::Make({{}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TrivialAugmentWide::Make(1, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::transforms
