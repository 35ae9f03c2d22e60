// CacheLookupSampler against the fake server: the leaf reads only the misses, the plan
// keeps the inner sampler's whole order and which ids hit, and a server that cannot be
// asked makes the pass read every id (warning once).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "cache_op_test_util.h"
#include "fake_cache_client.h"
#include "headrace/cache/cache_lookup_sampler.h"
#include "headrace/engine/samplers/subset_sampler.h"

namespace headrace::cache {
namespace {

using testing::CapturedWarnings;
using testing::Contains;
using testing::FakeCacheClient;
using testing::ValueRow;
using Call = FakeCacheClient::Call;

// The inner sampler's order: not sorted, so that a test sees it kept.
const std::vector<int64_t> kOrder = {7, 2, 9, 0, 4, 1, 8, 3, 6, 5};

class CacheLookupSamplerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const uint32_t session = client_->CreateSession().value();
    cache_id_ = client_->OpenCache(session, 1, "test", 0, false)->cache_id;
  }

  std::unique_ptr<CacheLookupSampler> MakeSampler() {
    return std::make_unique<CacheLookupSampler>(
        std::make_shared<engine::SubsetSampler>(kOrder, false, 0, 0), client_, cache_id_, plan_);
  }

  void Fill(const std::vector<int64_t>& ids) {
    for (int64_t id : ids) ASSERT_TRUE(client_->Put(cache_id_, id, ValueRow(id)));
  }

  std::shared_ptr<FakeCacheClient> client_ = std::make_shared<FakeCacheClient>();
  std::shared_ptr<CachePassPlan> plan_ = std::make_shared<CachePassPlan>();
  uint64_t cache_id_ = 0;
};

TEST_F(CacheLookupSamplerTest, AnEmptyCacheLetsTheLeafReadEveryIdInOrder) {
  auto sampler = MakeSampler();
  auto ids = sampler->Indices(10, 0);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, kOrder);
  PassPlan plan = plan_->Take();
  EXPECT_EQ(plan.ids, kOrder);
  EXPECT_EQ(plan.hit, std::vector<bool>(10, false));
  EXPECT_FALSE(plan.lookup_failed);
  EXPECT_EQ(client_->calls(Call::kLookup), 1);
  EXPECT_EQ(sampler->PassSize(10), 10);
  EXPECT_EQ(sampler->Describe(),
            "CacheLookup(" + engine::SubsetSampler(kOrder, false, 0, 0).Describe() + ")");
}

TEST_F(CacheLookupSamplerTest, AFullCacheLeavesTheLeafNothingToRead) {
  Fill(testing::Range(0, 10));
  auto ids = MakeSampler()->Indices(10, 0);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_TRUE(ids->empty()) << ids->size();
  PassPlan plan = plan_->Take();
  EXPECT_EQ(plan.ids, kOrder);
  EXPECT_EQ(plan.hit, std::vector<bool>(10, true));
}

TEST_F(CacheLookupSamplerTest, APartialCacheLeavesTheMissesInTheSamplersOrder) {
  Fill({0, 2, 4, 6, 8});
  auto ids = MakeSampler()->Indices(10, 0);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (std::vector<int64_t>{7, 9, 1, 3, 5}));
  PassPlan plan = plan_->Take();
  EXPECT_EQ(plan.ids, kOrder);
  EXPECT_EQ(plan.hit, (std::vector<bool>{false, true, false, true, true, false, true, false, true, false}));
}

TEST_F(CacheLookupSamplerTest, AServerThatCannotBeAskedMakesEveryPassReadEverythingWarningOnce) {
  Fill({0, 1, 2});
  client_->Die();
  CapturedWarnings warnings;
  auto sampler = MakeSampler();
  for (int pass = 0; pass < 2; ++pass) {
    auto ids = sampler->Indices(10, 0);
    ASSERT_TRUE(ids.ok()) << ids.status();
    EXPECT_EQ(*ids, kOrder) << "pass " << pass;
    PassPlan plan = plan_->Take();
    EXPECT_TRUE(plan.lookup_failed);
    EXPECT_EQ(plan.hit, std::vector<bool>(10, false));
  }
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "the cache server at fake-cache-server:1 cannot be asked"))
      << messages[0];
  EXPECT_TRUE(Contains(messages[0], "this pass reads every row")) << messages[0];
  EXPECT_TRUE(Contains(messages[0], "Lookup: the headrace cache server")) << messages[0];
}

TEST_F(CacheLookupSamplerTest, ALostCacheIsNotAskedAgain) {
  Fill({0, 1, 2});
  plan_->MarkLost();  // the merge op gave up on the cache
  auto ids = MakeSampler()->Indices(10, 0);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, kOrder);
  EXPECT_TRUE(plan_->Take().lookup_failed);
  EXPECT_EQ(client_->calls(Call::kLookup), 0);
}

TEST_F(CacheLookupSamplerTest, AnOverrideIsReadAsItIsWithoutAskingAnyone) {
  Fill({5, 6});
  auto sampler = MakeSampler();
  ASSERT_TRUE(sampler->Indices(10, 0).ok());
  PassPlan first = plan_->Take();
  plan_->SetOverride({6, 5, 3});  // the merge op restarts the leaf on the ids it owes
  auto ids = sampler->Indices(10, 0);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (std::vector<int64_t>{6, 5, 3}));
  EXPECT_EQ(client_->calls(Call::kLookup), 1);
  EXPECT_FALSE(plan_->TakeOverride().has_value()) << "the override is used once";
  EXPECT_TRUE(plan_->Take().ids.empty()) << "the restart made no new plan";
  // The pass after the restart asks the cache again.
  ids = sampler->Indices(10, 1);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (std::vector<int64_t>{7, 2, 9, 0, 4, 1, 8, 3}));
  EXPECT_EQ(client_->calls(Call::kLookup), 2);
}

TEST_F(CacheLookupSamplerTest, TheInnerSamplersErrorIsTheSamplersError) {
  // An index outside the source: the subset sampler names it; the cache is not asked.
  auto ids = MakeSampler()->Indices(5, 0);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.status().code(), StatusCode::kOutOfRange) << ids.status();
  EXPECT_TRUE(Contains(ids.status().message(), "sampler indices[0] = 7")) << ids.status();
  EXPECT_EQ(client_->calls(Call::kLookup), 0);
}

}  // namespace
}  // namespace headrace::cache
