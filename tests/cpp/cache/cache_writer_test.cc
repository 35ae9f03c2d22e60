// CacheWriter against the fake server: rows go out in order, in groups; a writer that
// falls behind drops rows beyond its queue's bytes instead of making the op wait; a server
// that dies ends the writing with one warning; refused rows are not failures.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "cache_op_test_util.h"
#include "fake_cache_client.h"
#include "headrace/cache/cache_writer.h"

namespace headrace::cache {
namespace {

using std::chrono::milliseconds;
using testing::CapturedWarnings;
using testing::Contains;
using testing::Expected;
using testing::FakeCacheClient;
using testing::Range;
using testing::RowValue;
using testing::ValueOf;
using testing::ValueRow;
using Call = FakeCacheClient::Call;

constexpr milliseconds kPatience{10000};  // only reached when something is wrong
// ValueRow's bytes as the writer counts them (one int64 column of 2).
constexpr int64_t kRowBytes = 16;

class CacheWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const uint32_t session = client_->CreateSession().value();
    cache_id_ = client_->OpenCache(session, 1, "test", 0, false)->cache_id;
  }
  // Holds the writer's thread in a write of row 0, so that rows offered next queue up.
  void HoldTheWriterInAWrite(CacheWriter* writer) {
    client_->BlockWrites();
    ASSERT_TRUE(writer->Offer(0, ValueRow(0)));
    ASSERT_TRUE(client_->WaitForBlockedWrites(1, kPatience));
  }

  std::vector<RowValue> Held() {
    std::vector<RowValue> rows;
    for (int64_t id : client_->RowIds(cache_id_)) {
      std::optional<TensorRow> row = client_->Row(cache_id_, id);
      EXPECT_TRUE(row.has_value()) << id;
      if (row.has_value()) rows.push_back(ValueOf(*row));
    }
    return rows;
  }

  std::shared_ptr<FakeCacheClient> client_ = std::make_shared<FakeCacheClient>();
  uint64_t cache_id_ = 0;
};

TEST_F(CacheWriterTest, OfferedRowsAreWrittenOnceEachInOrderInGroups) {
  CacheWriter writer(client_, cache_id_);
  HoldTheWriterInAWrite(&writer);
  for (int64_t id = 1; id < 100; ++id) ASSERT_TRUE(writer.Offer(id, ValueRow(id))) << id;
  client_->ReleaseWrites();
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_FALSE(writer.failed());
  EXPECT_EQ(client_->written_ids(), Range(0, 100));
  EXPECT_EQ(client_->write_sizes(), (std::vector<size_t>{1, 32, 32, 32, 3}));
  EXPECT_EQ(Held(), Expected(Range(0, 100)));
}

TEST_F(CacheWriterTest, AWriterThatFallsBehindDropsWhatItsQueueCannotHold) {
  CacheWriter writer(client_, cache_id_, /*queue_bytes=*/5 * kRowBytes);
  HoldTheWriterInAWrite(&writer);
  std::vector<int64_t> accepted;
  for (int64_t id = 1; id <= 20; ++id) {
    if (writer.Offer(id, ValueRow(id))) accepted.push_back(id);
  }
  // The queue holds five rows' bytes; the op is never made to wait.
  EXPECT_EQ(accepted, Range(1, 6));
  EXPECT_FALSE(writer.Flush(milliseconds(0))) << "rows are still queued";
  client_->ReleaseWrites();
  EXPECT_TRUE(writer.Flush(kPatience));
  // The dropped rows are simply not cached; none is written twice.
  EXPECT_EQ(client_->written_ids(), Range(0, 6));
  EXPECT_EQ(Held(), Expected(Range(0, 6)));
  // Room again: later rows are taken.
  EXPECT_TRUE(writer.Offer(21, ValueRow(21)));
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_EQ(client_->RowIds(cache_id_).back(), 21);
}

TEST_F(CacheWriterTest, ARowLargerThanTheQueueGoesWhenTheQueueIsEmpty) {
  CacheWriter writer(client_, cache_id_, /*queue_bytes=*/kRowBytes / 2);
  HoldTheWriterInAWrite(&writer);
  EXPECT_TRUE(writer.Offer(1, ValueRow(1)));
  EXPECT_FALSE(writer.Offer(2, ValueRow(2)));
  client_->ReleaseWrites();
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_EQ(client_->RowIds(cache_id_), Range(0, 2));
}

TEST_F(CacheWriterTest, ASlowServerDelaysTheFlushNotTheOffers) {
  client_->SetWriteDelay(milliseconds(20));
  CacheWriter writer(client_, cache_id_);
  for (int64_t id = 0; id < 40; ++id) ASSERT_TRUE(writer.Offer(id, ValueRow(id))) << id;
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_EQ(client_->written_ids(), Range(0, 40));
  EXPECT_EQ(Held(), Expected(Range(0, 40)));
}

TEST_F(CacheWriterTest, RowsTheServerRefusesAreNotAFailure) {
  client_->SetCapacity(3);
  CacheWriter writer(client_, cache_id_);
  for (int64_t id = 0; id < 5; ++id) ASSERT_TRUE(writer.Offer(id, ValueRow(id)));
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_FALSE(writer.failed());
  EXPECT_EQ(client_->RowIds(cache_id_), Range(0, 3));
  EXPECT_EQ(client_->refused_for_capacity(), 2);
  EXPECT_TRUE(writer.Offer(5, ValueRow(5))) << "the writer goes on";
}

TEST_F(CacheWriterTest, AServerThatDiesEndsTheWritingWithOneWarning) {
  CapturedWarnings warnings;
  CacheWriter writer(client_, cache_id_);
  HoldTheWriterInAWrite(&writer);
  for (int64_t id = 1; id <= 40; ++id) ASSERT_TRUE(writer.Offer(id, ValueRow(id)));
  client_->DieAtCall(Call::kWriteRows, 2);  // row 0's write gets through, the next does not
  client_->ReleaseWrites();
  EXPECT_FALSE(writer.Flush(kPatience));
  EXPECT_TRUE(writer.failed());
  EXPECT_FALSE(writer.Offer(41, ValueRow(41)));
  EXPECT_FALSE(writer.Flush(kPatience)) << "returns at once once failed";
  EXPECT_EQ(client_->calls(Call::kWriteRows), 2) << "nothing is written after the failure";
  EXPECT_EQ(client_->RowIds(cache_id_), std::vector<int64_t>{0});
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "the cache server at fake-cache-server:1 failed while rows "
                                    "were written (WriteRows: the headrace cache server"))
      << messages[0];
  EXPECT_TRUE(Contains(messages[0], "carries on without writing to the cache")) << messages[0];
}

TEST_F(CacheWriterTest, CancelEndsAFlushAtOnceAndClearCancelRearmsIt) {
  CacheWriter writer(client_, cache_id_);
  HoldTheWriterInAWrite(&writer);
  writer.Cancel();
  EXPECT_FALSE(writer.Flush(kPatience));
  EXPECT_TRUE(client_->WaitForBlockedWrites(1, milliseconds(0))) << "Flush returned before the write";
  writer.ClearCancel();
  client_->ReleaseWrites();
  EXPECT_TRUE(writer.Flush(kPatience));
  EXPECT_FALSE(writer.failed());
  EXPECT_EQ(client_->RowIds(cache_id_), std::vector<int64_t>{0});
}

}  // namespace
}  // namespace headrace::cache
