// StreamCacheOp against the fake server, in launched trees over a stream that counts its
// starts: the first pass runs the stream and writes it, once the cache is complete later
// passes read it without starting the stream; a pass not cached in full leaves the cache
// incomplete and the stream runs again; a server that fails mid-pass is left behind with
// every row still given exactly once, in order.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "cache_op_test_util.h"
#include "fake_cache_client.h"
#include "headrace/cache/stream_cache_op.h"
#include "headrace/engine/execution_tree.h"
#include "headrace/engine/ops/stream_source_op.h"

namespace headrace::cache {
namespace {

using std::chrono::milliseconds;
using testing::CapturedWarnings;
using testing::Contains;
using testing::CountingStream;
using testing::Expected;
using testing::FakeCacheClient;
using testing::Range;
using testing::RowValue;
using testing::Settings;
using testing::ValueOf;
using testing::ValueRow;
using Call = FakeCacheClient::Call;

constexpr milliseconds kPatience{10000};  // only reached when something is wrong
constexpr int64_t kMarker = 100000;

class StreamCacheOpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const uint32_t session = client_->CreateSession().value();
    session_ = session;
  }

  // Cache over a stream of `rows` rows, made as the tree pass makes it: after OpenCache.
  std::shared_ptr<engine::DatasetOp> Pipeline(int64_t rows) {
    stream_ = std::make_shared<CountingStream>(rows);
    OpenedCache opened = client_->OpenCache(session_, 1, "stream", 0, false).value();
    cache_id_ = opened.cache_id;
    auto op = std::make_shared<StreamCacheOp>(client_, opened.cache_id, opened.complete, opened.rows);
    op->AddChild(std::make_shared<engine::StreamSourceOp>("Stream", stream_, 0));
    return op;
  }

  // A cache of `rows` marked rows, complete, as an earlier pipeline left it.
  void FillComplete(int64_t rows) {
    cache_id_ = client_->OpenCache(session_, 1, "stream", 0, false)->cache_id;
    for (int64_t id = 0; id < rows; ++id) ASSERT_TRUE(client_->Put(cache_id_, id, ValueRow(id, kMarker)));
    ASSERT_TRUE(client_->SetComplete(cache_id_, rows).value());
  }

  std::shared_ptr<FakeCacheClient> client_ = std::make_shared<FakeCacheClient>();
  std::shared_ptr<CountingStream> stream_;
  uint32_t session_ = 0;
  uint64_t cache_id_ = 0;
};

TEST_F(StreamCacheOpTest, TheStreamIsReadOnceThenEveryPassComesFromTheCache) {
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(150), Settings(/*num_epochs=*/3));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 3u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 150)));
  EXPECT_EQ(stream_->starts(), 1);
  EXPECT_TRUE(client_->complete(cache_id_));
  EXPECT_EQ(client_->written_ids(), Range(0, 150)) << "written once each, in order";
  EXPECT_EQ(client_->calls(Call::kSetComplete), 1);
  EXPECT_EQ(client_->calls(Call::kReadRows), 2 * 3) << "64 rows per fetch";
  EXPECT_TRUE(warnings.messages().empty());
}

TEST_F(StreamCacheOpTest, ACompleteCacheIsReadWithoutStartingTheStream) {
  FillComplete(100);
  engine::ExecutionTree tree(Pipeline(100), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 100), kMarker));
  EXPECT_EQ(stream_->starts(), 0);
  EXPECT_EQ(client_->calls(Call::kWriteRows), 0);
}

TEST_F(StreamCacheOpTest, APassTheCacheCouldNotHoldLeavesItIncompleteAndTheStreamRunsAgain) {
  client_->SetCapacity(100);
  engine::ExecutionTree tree(Pipeline(150), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 150)));
  EXPECT_EQ(stream_->starts(), 2);
  EXPECT_FALSE(client_->complete(cache_id_));
  EXPECT_EQ(client_->RowIds(cache_id_), Range(0, 100));
  EXPECT_EQ(client_->calls(Call::kSetComplete), 2);
  EXPECT_EQ(client_->calls(Call::kReadRows), 0) << "an incomplete cache is not read";
}

TEST_F(StreamCacheOpTest, AServerThatDiesWhileTheCacheIsReadIsLeftBehindAndNoRowIsLostOrRepeated) {
  // Pass 1 writes the stream (no fetch); pass 2's second fetch finds the server gone.
  client_->DieAtCall(Call::kReadRows, 2);
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(300), Settings(3));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 3u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 300)));
  // Pass 2 restarted the stream, skipping the 64 rows the cache gave; pass 3 runs it
  // without writing.
  EXPECT_EQ(stream_->starts(), 3);
  EXPECT_EQ(client_->written_ids(), Range(0, 300)) << "only pass 1 wrote";
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "the cache server at fake-cache-server:1 failed (ReadRows: "))
      << messages[0];
  EXPECT_TRUE(Contains(messages[0], "the pipeline carries on without the cache")) << messages[0];
}

TEST_F(StreamCacheOpTest, AStreamShorterThanWhatTheCacheGaveIsDataLoss) {
  FillComplete(100);
  client_->DieAtCall(Call::kReadRows, 2);
  CapturedWarnings warnings;
  auto pipeline = Pipeline(100);
  stream_->set_size(50);  // the stream changed since it was cached
  engine::ExecutionTree tree(pipeline, Settings(1));
  auto out = testing::ReadAll(&tree);
  EXPECT_EQ(out.error.code(), StatusCode::kDataLoss) << out.error;
  EXPECT_TRUE(Contains(out.error.message(),
                       "Cache: the cache gave 64 rows before its server failed, but the stream "
                       "restarted without it has only 50"))
      << out.error;
  // The error reaches the iterator at once (rows still between the ops are dropped), so
  // what came is a start of the 64 cached rows, none of them twice.
  ASSERT_EQ(out.epochs.size(), 1u);
  const std::vector<RowValue>& got = out.epochs[0];
  ASSERT_LE(got.size(), 64u);
  EXPECT_EQ(got, Expected(Range(0, static_cast<int64_t>(got.size())), kMarker));
}

TEST_F(StreamCacheOpTest, AServerThatDiesWhileRowsAreWrittenLeavesEveryPassWhole) {
  client_->DieAtCall(Call::kWriteRows, 1);
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(100), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 100)));
  EXPECT_EQ(stream_->starts(), 2);
  EXPECT_EQ(client_->calls(Call::kWriteRows), 1) << "pass 2 writes nothing";
  EXPECT_EQ(client_->calls(Call::kSetComplete), 0);
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "failed while rows were written")) << messages[0];
}

TEST_F(StreamCacheOpTest, AServerThatFailsToCompleteTheCacheIsLeftBehind) {
  client_->DieAtCall(Call::kSetComplete, 1);
  CapturedWarnings warnings;
  engine::ExecutionTree tree(Pipeline(100), Settings(2));
  auto out = testing::ReadAll(&tree);
  ASSERT_TRUE(out.error.ok()) << out.error;
  ASSERT_EQ(out.epochs.size(), 2u);
  for (const auto& epoch : out.epochs) EXPECT_EQ(epoch, Expected(Range(0, 100)));
  EXPECT_EQ(stream_->starts(), 2);
  EXPECT_EQ(client_->written_ids(), Range(0, 100)) << "pass 2 writes nothing";
  const auto messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(Contains(messages[0], "failed (SetComplete: ")) << messages[0];
}

TEST_F(StreamCacheOpTest, AWriterThatFallsBehindDoesNotHoldBackThePassesRows) {
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
  EXPECT_EQ(first, Expected(Range(0, 100)));
  ASSERT_TRUE(client_->WaitForBlockedWrites(1, kPatience));
  EXPECT_TRUE(client_->RowIds(cache_id_).empty()) << "the cache has taken none of them yet";
  EXPECT_EQ(client_->calls(Call::kWriteRows), 1);
  // The end of the pass waits for the writer, then completes the cache.
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
  EXPECT_EQ(stream_->starts(), 1) << "pass 2 came from the cache";
  EXPECT_TRUE(client_->complete(cache_id_));
}

TEST_F(StreamCacheOpTest, StoppingThePipelineCancelsAWriteTheServerDoesNotAnswer) {
  client_->BlockWrites();
  engine::ExecutionTree tree(Pipeline(40), Settings(1));
  ASSERT_TRUE(tree.Launch().ok());
  for (int64_t i = 0; i < 40; ++i) {
    TensorRow row;
    ASSERT_TRUE(tree.GetNext(&row).ok());
    ASSERT_TRUE(row.is_data()) << row.ToString();
  }
  ASSERT_TRUE(client_->WaitForBlockedWrites(1, kPatience));
  // (The writer takes the cancelled write for a failure of the server and warns; this test
  // is about the stop, which must end the write instead of waiting for it.)
  CapturedWarnings warnings;
  tree.Stop();
  EXPECT_TRUE(client_->WaitForBlockedWrites(0, kPatience)) << "the write was cancelled";
  EXPECT_EQ(client_->calls(Call::kWriteRows), 1);
  EXPECT_FALSE(client_->complete(cache_id_));
}

}  // namespace
}  // namespace headrace::cache
