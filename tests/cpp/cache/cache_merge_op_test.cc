// CacheMergeOp (with CacheLookupSampler at its leaf) against the fake server, in launched
// trees: the first pass computes and writes every row, later passes read them from the
// cache without reading the leaf, a partial cache mixes both in the sampler's order, and a
// server that fails mid-pass is left behind with one warning while every row still comes
// out exactly once, in order.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "cache_op_test_util.h"
#include "fake_cache_client.h"
#include "headrace/cache/cache_lookup_sampler.h"
#include "headrace/cache/cache_merge_op.h"
#include "headrace/engine/execution_tree.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/samplers/sequential_sampler.h"
#include "headrace/engine/samplers/subset_sampler.h"

namespace headrace::cache {
namespace {

using std::chrono::milliseconds;
using testing::CapturedWarnings;
using testing::Contains;
using testing::CountingSource;
using testing::Expected;
using testing::FakeCacheClient;
using testing::Range;
using testing::RowValue;
using testing::Settings;
using testing::ValueOf;
using testing::ValueRow;
using Call = FakeCacheClient::Call;

constexpr milliseconds kPatience{10000};  // only reached when something is wrong
// What rows put into the cache before a test carry, to tell them from computed ones.
constexpr int64_t kMarker = 100000;

class CacheMergeOpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const uint32_t session = client_->CreateSession().value();
    cache_id_ = client_->OpenCache(session, 1, "test", 0, false)->cache_id;
  }

  // CacheMerge over a leaf of `rows` rows whose sampler is CacheLookup(`sampler`), as the
  // tree pass builds it.
  std::shared_ptr<engine::DatasetOp> Pipeline(int64_t rows,
                                              std::shared_ptr<engine::Sampler> sampler = nullptr) {
    source_ = std::make_shared<CountingSource>(rows);
    if (sampler == nullptr) sampler = std::make_shared<engine::SequentialSampler>(0, 0);
    auto plan = std::make_shared<CachePassPlan>();
    auto leaf = std::make_shared<engine::SourceOp>(
        "Counted", source_, std::make_shared<CacheLookupSampler>(sampler, client_, cache_id_, plan),
        /*num_workers=*/3);
    auto merge = std::make_shared<CacheMergeOp>(client_, cache_id_, plan);
    merge->AddChild(std::move(leaf));
    return merge;
  }

  void Fill(const std::vector<int64_t>& ids) {
    for (int64_t id : ids) ASSERT_TRUE(client_->Put(cache_id_, id, ValueRow(id, kMarker)));
  }

  std::shared_ptr<FakeCacheClient> client_ = std::make_shared<FakeCacheClient>();
  std::shared_ptr<CountingSource> source_;
  uint64_t cache_id_ = 0;
};

TEST_F(CacheMergeOpTest, TheFirstPassWritesEveryRowAndLaterPassesReadThemFromTheCache) {
  engine::ExecutionTree tree(Pipeline(200), Settings(/*num_epochs=*/3));
  CapturedWarnings warnings;
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 3u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 200)));
  EXPECT_EQ(source_->SortedReads(), Range(0, 200)) << "each row is read from the leaf once";
  EXPECT_EQ(client_->RowIds(cache_id_), Range(0, 200));
  std::optional<TensorRow> cached = client_->Row(cache_id_, 137);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(ValueOf(*cached), (RowValue{137, testing::Computed(137)}));
  EXPECT_EQ(client_->written_ids(), Range(0, 200)) << "written once each, in order";
  EXPECT_EQ(client_->calls(Call::kLookup), 3);
  EXPECT_EQ(client_->calls(Call::kReadRows), 2 * 4) << "64 rows per fetch";
  EXPECT_TRUE(warnings.messages().empty());
}

TEST_F(CacheMergeOpTest, RowsFromTheCacheComeInEachPasssOwnOrder) {
  auto order = std::make_shared<engine::SubsetSampler>(Range(0, 100), /*shuffle=*/true, 0, 7);
  engine::SubsetSampler same(Range(0, 100), true, 0, 7);
  engine::ExecutionTree tree(Pipeline(100, order), Settings(3));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 3u);
  std::vector<std::vector<int64_t>> orders;
  for (int epoch = 0; epoch < 3; ++epoch) {
    orders.push_back(same.Indices(100, epoch).value());
    EXPECT_EQ(out.epochs[epoch], Expected(orders.back())) << "epoch " << epoch;
  }
  EXPECT_NE(orders[0], orders[1]);
  EXPECT_EQ(source_->SortedReads(), Range(0, 100));
}

TEST_F(CacheMergeOpTest, APartialCacheGivesItsRowsAndTheLeafComputesTheRest) {
  std::vector<int64_t> evens;
  for (int64_t id = 0; id < 50; id += 2) evens.push_back(id);
  Fill(evens);
  auto order = std::make_shared<engine::SubsetSampler>(Range(0, 50), /*shuffle=*/true, 0, 3);
  engine::SubsetSampler same(Range(0, 50), true, 0, 3);
  engine::ExecutionTree tree(Pipeline(50, order), Settings(1));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 1u);
  std::vector<RowValue> expected;
  for (int64_t id : same.Indices(50, 0).value()) {
    expected.push_back(RowValue{id, testing::Computed(id) + (id % 2 == 0 ? kMarker : 0)});
  }
  EXPECT_EQ(out.epochs[0], expected);
  std::vector<int64_t> odds;
  for (int64_t id = 1; id < 50; id += 2) odds.push_back(id);
  EXPECT_EQ(source_->SortedReads(), odds) << "only the misses are read";
  EXPECT_EQ(client_->RowIds(cache_id_), Range(0, 50)) << "the misses were written";
  EXPECT_EQ(ValueOf(*client_->Row(cache_id_, 3)), (RowValue{3, testing::Computed(3)}));
}

TEST_F(CacheMergeOpTest, AServerThatDiesWhileHitsAreFetchedIsLeftBehindAndNoRowIsLostOrRepeated) {
  // Pass 1 fills the cache (no fetch); pass 2's second fetch finds the server gone.
  client_->DieAtCall(Call::kReadRows, 2);
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(400), Settings(3));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 3u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 400)));
  // Pass 1 read everything, pass 2 the rows after the 64 fetched, pass 3 everything.
  EXPECT_EQ(source_->read_count(), 400 + (400 - 64) + 400);
  EXPECT_EQ(client_->calls(Call::kLookup), 2) << "a lost cache is not asked again";
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "the cache server at fake-cache-server:1 failed (ReadRows: "))
      << messages[0];
  EXPECT_TRUE(Contains(messages[0], "the pipeline carries on without the cache")) << messages[0];
}

TEST_F(CacheMergeOpTest, RowsTheCacheLostAreComputedFromWhereTheyWereMissed) {
  Fill(Range(0, 200));
  client_->LoseOnRead({100});  // in the second fetch: rows 64..127
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(200), Settings(1));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 1u);
  std::vector<RowValue> expected = Expected(Range(0, 64), kMarker);
  for (const RowValue& row : Expected(Range(64, 200))) expected.push_back(row);
  EXPECT_EQ(out.epochs[0], expected);
  EXPECT_EQ(source_->SortedReads(), Range(64, 200));
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "failed (rows it said it held are gone)")) << messages[0];
}

TEST_F(CacheMergeOpTest, AServerGoneBeforeThePassMakesItReadEveryRow) {
  Fill(Range(0, 30));
  client_->Die();
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(30), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 30)));
  EXPECT_EQ(source_->read_count(), 60);
  EXPECT_EQ(client_->calls(Call::kReadRows), 0);
  EXPECT_EQ(client_->calls(Call::kWriteRows), 0) << "nothing is offered to a lost cache";
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "cannot be asked which rows it holds")) << messages[0];
}

TEST_F(CacheMergeOpTest, AServerThatDiesWhileRowsAreWrittenLeavesEveryPassWhole) {
  client_->DieAtCall(Call::kWriteRows, 1);
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(100), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 100)));
  EXPECT_EQ(source_->read_count(), 200);
  EXPECT_TRUE(client_->RowIds(cache_id_).empty());
  // The writer says the server failed in pass 1; pass 2 cannot ask it.
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(Contains(messages[0], "failed while rows were written")) << messages[0];
  EXPECT_TRUE(Contains(messages[1], "cannot be asked which rows it holds")) << messages[1];
}

TEST_F(CacheMergeOpTest, AWriterThatFallsBehindDoesNotHoldBackThePassesRows) {
  client_->BlockWrites();
  engine::ExecutionTree tree(Pipeline(100), Settings(2));
  ASSERT_TRUE(tree.Launch().ok());
  std::vector<RowValue> first;
  for (int64_t i = 0; i < 100; ++i) {
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    ASSERT_TRUE(row.is_data()) << "row " << i << ": " << row.ToString();
    first.push_back(ValueOf(row));
  }
  // Every row of the pass came while the cache had not taken any of them.
  EXPECT_EQ(first, Expected(Range(0, 100)));
  ASSERT_TRUE(client_->WaitForBlockedWrites(1, kPatience));
  EXPECT_TRUE(client_->RowIds(cache_id_).empty());
  EXPECT_EQ(client_->calls(Call::kWriteRows), 1);
  // The end of the pass waits for the writer (so that pass 2 finds the rows), which now
  // catches up.
  client_->ReleaseWrites();
  TensorRow row;
  ASSERT_TRUE(tree.GetNext(&row).ok());
  EXPECT_TRUE(row.is_end_of_epoch()) << row.ToString();
  std::vector<RowValue> second;
  for (;;) {
    ASSERT_TRUE(tree.GetNext(&row).ok());
    if (!row.is_data()) break;
    second.push_back(ValueOf(row));
  }
  EXPECT_TRUE(row.is_end_of_data()) << row.ToString();
  EXPECT_EQ(second, Expected(Range(0, 100)));
  EXPECT_EQ(source_->read_count(), 100) << "pass 2 came from the cache";
  EXPECT_EQ(client_->written_ids(), Range(0, 100));
}

TEST_F(CacheMergeOpTest, StoppingThePipelineCancelsAWriteTheServerDoesNotAnswer) {
  client_->BlockWrites();
  engine::ExecutionTree tree(Pipeline(40), Settings(1));
  ASSERT_TRUE(tree.Launch().ok());
  for (int64_t i = 0; i < 40; ++i) {
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    ASSERT_TRUE(row.is_data()) << row.ToString();
  }
  // The op now waits at the end of the pass for a write that hangs.
  ASSERT_TRUE(client_->WaitForBlockedWrites(1, kPatience));
  // (The writer takes the cancelled write for a failure of the server and warns; this test
  // is about the stop, which must end the write instead of waiting for it.)
  CapturedWarnings warnings;
  tree.Stop();
  EXPECT_TRUE(client_->WaitForBlockedWrites(0, kPatience)) << "the write was cancelled";
  EXPECT_EQ(client_->calls(Call::kWriteRows), 1);
  EXPECT_TRUE(client_->RowIds(cache_id_).empty());
}

}  // namespace
}  // namespace headrace::cache
