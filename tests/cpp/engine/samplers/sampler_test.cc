#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "headrace/engine/samplers/distributed_sampler.h"
#include "headrace/engine/samplers/random_sampler.h"
#include "headrace/engine/samplers/sequential_sampler.h"
#include "headrace/engine/samplers/subset_sampler.h"

namespace headrace::engine {
namespace {

TEST(SequentialSamplerTest, StartsAndStopsWhereAsked) {
  SequentialSampler sampler(2, 3);
  EXPECT_EQ(*sampler.Indices(10, 0), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(sampler.PassSize(4), 2);
  EXPECT_EQ(SequentialSampler(0, 0).Indices(3, 0).value(), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(SequentialSampler(5, 0).Indices(3, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(RandomSamplerTest, PermutesAnewEachPassAndFollowsTheSeed) {
  RandomSampler a(false, 0, 42), b(false, 0, 42);
  std::vector<int64_t> first = *a.Indices(100, 0);
  std::vector<int64_t> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_EQ(first, *b.Indices(100, 0)) << "same seed, same order";
  EXPECT_NE(first, *a.Indices(100, 1)) << "a new order each pass";
  EXPECT_EQ(*a.Indices(100, 7), *b.Indices(100, 7))
      << "a pass's order does not depend on the passes drawn before it";
  EXPECT_EQ(RandomSampler(true, 250, 1).Indices(10, 0)->size(), 250u);
}

TEST(DistributedSamplerTest, ShardsInterleaveAndPadByWrappingAround) {
  // 10 rows over 4 shards: 3 each, positions d, d+4, d+8 modulo 10.
  EXPECT_EQ(*DistributedSampler(4, 0, false, 0, 0).Indices(10, 0), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(*DistributedSampler(4, 1, false, 0, 0).Indices(10, 0), (std::vector<int64_t>{1, 5, 9}));
  EXPECT_EQ(*DistributedSampler(4, 2, false, 0, 0).Indices(10, 0), (std::vector<int64_t>{2, 6, 0}));
  EXPECT_EQ(*DistributedSampler(4, 3, false, 0, 0).Indices(10, 0), (std::vector<int64_t>{3, 7, 1}));
  EXPECT_EQ(*DistributedSampler(4, 0, false, 2, 0).Indices(10, 0), (std::vector<int64_t>{0, 4}));
}

TEST(DistributedSamplerTest, AnOffsetDealsRowZeroToThatShardWithoutPadding) {
  // MindSpore's offset: row p goes to shard (p + offset) % num_shards; shards may differ.
  EXPECT_EQ(*DistributedSampler(4, 0, false, 0, 0, 3).Indices(10, 0), (std::vector<int64_t>{1, 5, 9}));
  EXPECT_EQ(*DistributedSampler(4, 1, false, 0, 0, 3).Indices(10, 0), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(*DistributedSampler(4, 3, false, 0, 0, 3).Indices(10, 0), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(DistributedSampler(4, 1, false, 0, 0, 3).PassSize(10), 2);
  EXPECT_EQ(*DistributedSampler(3, 1, false, 0, 0, 0).Indices(10, 0), (std::vector<int64_t>{1, 4, 7}));
  EXPECT_EQ(*DistributedSampler(3, 1, false, 0, 0, 3).Indices(10, 0), (std::vector<int64_t>{1, 4, 7}));
  EXPECT_EQ(*DistributedSampler(3, 0, false, 2, 0, 1).Indices(10, 0), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(DistributedSampler(4, 2, false, 0, 0, 0).PassSize(2), 0);
  EXPECT_TRUE(DistributedSampler(4, 2, false, 0, 0, 0).Indices(2, 0)->empty());
  EXPECT_FALSE(DistributedSampler(3, 0, false, 0, 0, 4).Indices(10, 0).ok());
}

TEST(DistributedSamplerTest, ShuffledShardsWithOneSeedCoverEveryRow) {
  std::multiset<int64_t> seen;
  for (int shard = 0; shard < 3; ++shard) {
    DistributedSampler sampler(3, shard, true, 0, 7);
    const std::vector<int64_t> indices = *sampler.Indices(9, 0);
    seen.insert(indices.begin(), indices.end());
  }
  EXPECT_EQ(seen.size(), 9u);
  for (int64_t i = 0; i < 9; ++i) EXPECT_EQ(seen.count(i), 1u);
  DistributedSampler shuffled(3, 0, true, 0, 7);
  EXPECT_NE(*shuffled.Indices(9, 0), *DistributedSampler(3, 0, false, 0, 7).Indices(9, 0))
      << "shuffle=true must change the shard's rows or order";
}

// What every sampler promises: a pass yields PassSize rows, each inside the source.
TEST(SamplerContractTest, IndicesMatchPassSizeAndStayInsideTheSource) {
  std::vector<std::shared_ptr<Sampler>> samplers = {
      std::make_shared<SequentialSampler>(3, 0), std::make_shared<SequentialSampler>(0, 5),
      std::make_shared<RandomSampler>(false, 0, 1), std::make_shared<RandomSampler>(true, 40, 1),
      std::make_shared<DistributedSampler>(4, 3, true, 0, 1),
      std::make_shared<SubsetSampler>(std::vector<int64_t>{9, 2, 5}, true, 0, 1)};
  for (const auto& sampler : samplers) {
    for (int pass = 0; pass < 2; ++pass) {
      const std::vector<int64_t> indices = *sampler->Indices(17, pass);
      EXPECT_EQ(static_cast<int64_t>(indices.size()), sampler->PassSize(17)) << sampler->Describe();
      for (int64_t index : indices) {
        EXPECT_TRUE(index >= 0 && index < 17) << sampler->Describe() << " gave " << index;
      }
    }
  }
}


TEST(SubsetSamplerTest, KeepsTheGivenOrderOrShufflesIt) {
  SubsetSampler plain({4, 1, 3}, false, 0, 0);
  EXPECT_EQ(*plain.Indices(5, 0), (std::vector<int64_t>{4, 1, 3}));
  SubsetSampler limited({4, 1, 3}, false, 2, 0);
  EXPECT_EQ(*limited.Indices(5, 0), (std::vector<int64_t>{4, 1}));
  const std::vector<int64_t> given = {0, 1, 2, 3, 4, 5, 6, 7};
  SubsetSampler shuffled(given, true, 0, 3);
  std::vector<int64_t> order = *shuffled.Indices(8, 0);
  EXPECT_NE(order, given) << "shuffle=true must change the order (8! orders, fixed seed)";
  std::vector<int64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, given);
}

TEST(SubsetSamplerTest, AnIndexOutsideTheSourceIsNamed) {
  SubsetSampler sampler({0, 9}, false, 0, 0);
  Result<std::vector<int64_t>> indices = sampler.Indices(5, 0);
  ASSERT_FALSE(indices.ok());
  EXPECT_EQ(indices.status().message(), "sampler indices[1] = 9 is outside a source of 5 rows");
}

}  // namespace
}  // namespace headrace::engine
