#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "headrace/engine/samplers/distributed_sampler.h"
#include "headrace/engine/samplers/random_sampler.h"
#include "headrace/engine/samplers/sequential_sampler.h"

namespace headrace::engine {
namespace {

TEST(SequentialSamplerTest, StartsAndStopsWhereAsked) {
  SequentialSampler sampler(2, 3);
  EXPECT_EQ(*sampler.Indices(10), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(sampler.PassSize(4), 2);
  EXPECT_EQ(SequentialSampler(0, 0).Indices(3).value(), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(SequentialSampler(5, 0).Indices(3).status().code(), StatusCode::kInvalidArgument);
}

TEST(RandomSamplerTest, PermutesAnewEachPassAndFollowsTheSeed) {
  RandomSampler a(false, 0, 42), b(false, 0, 42);
  std::vector<int64_t> first = *a.Indices(100);
  std::vector<int64_t> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_EQ(first, *b.Indices(100)) << "same seed, same order";
  EXPECT_NE(first, *a.Indices(100)) << "a new order each pass";
  EXPECT_EQ(RandomSampler(true, 250, 1).Indices(10)->size(), 250u);
}

TEST(DistributedSamplerTest, ShardsInterleaveAndPadByWrappingAround) {
  // 10 rows over 4 shards: 3 each, positions d, d+4, d+8 modulo 10.
  EXPECT_EQ(*DistributedSampler(4, 0, false, 0, 0).Indices(10), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(*DistributedSampler(4, 1, false, 0, 0).Indices(10), (std::vector<int64_t>{1, 5, 9}));
  EXPECT_EQ(*DistributedSampler(4, 2, false, 0, 0).Indices(10), (std::vector<int64_t>{2, 6, 0}));
  EXPECT_EQ(*DistributedSampler(4, 3, false, 0, 0).Indices(10), (std::vector<int64_t>{3, 7, 1}));
  EXPECT_EQ(*DistributedSampler(4, 0, false, 2, 0).Indices(10), (std::vector<int64_t>{0, 4}));
}

TEST(DistributedSamplerTest, ShuffledShardsWithOneSeedCoverEveryRow) {
  std::multiset<int64_t> seen;
  for (int shard = 0; shard < 3; ++shard) {
    DistributedSampler sampler(3, shard, true, 0, 7);
    const std::vector<int64_t> indices = *sampler.Indices(9);
    seen.insert(indices.begin(), indices.end());
  }
  EXPECT_EQ(seen.size(), 9u);
  for (int64_t i = 0; i < 9; ++i) EXPECT_EQ(seen.count(i), 1u);
}

}  // namespace
}  // namespace headrace::engine

#include "headrace/engine/samplers/subset_sampler.h"

namespace headrace::engine {
namespace {

TEST(SubsetSamplerTest, KeepsTheGivenOrderOrShufflesIt) {
  SubsetSampler plain({4, 1, 3}, false, 0, 0);
  EXPECT_EQ(*plain.Indices(5), (std::vector<int64_t>{4, 1, 3}));
  SubsetSampler limited({4, 1, 3}, false, 2, 0);
  EXPECT_EQ(*limited.Indices(5), (std::vector<int64_t>{4, 1}));
  SubsetSampler shuffled({0, 1, 2, 3, 4, 5, 6, 7}, true, 0, 3);
  std::vector<int64_t> order = *shuffled.Indices(8);
  std::vector<int64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(SubsetSamplerTest, AnIndexOutsideTheSourceIsNamed) {
  SubsetSampler sampler({0, 9}, false, 0, 0);
  Result<std::vector<int64_t>> indices = sampler.Indices(5);
  ASSERT_FALSE(indices.ok());
  EXPECT_EQ(indices.status().message(), "sampler indices[1] = 9 is outside a source of 5 rows");
}

}  // namespace
}  // namespace headrace::engine
