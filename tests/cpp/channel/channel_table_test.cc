// ChannelTable without any transport: queues, states, parked waits and the store's
// references (the store's used bytes come back to zero whenever every object is gone).
#include "headrace/channel/channel_table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace headrace::channel {
namespace {

using std::chrono::milliseconds;

// The outcome of one wait, filled in by its callback.
template <class T>
struct Outcome {
  std::promise<std::pair<Status, T>> promise;
  std::future<std::pair<Status, T>> future = promise.get_future();
  bool ready() const { return future.wait_for(milliseconds(0)) == std::future_status::ready; }
  std::pair<Status, T> Take() {
    EXPECT_EQ(future.wait_for(milliseconds(5000)), std::future_status::ready);
    return future.get();
  }
};

class ChannelTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = memory::SharedStore::Create(int64_t{8} << 20);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
    table_ = std::make_unique<ChannelTable>(store_);
  }

  uint64_t AttachOrDie(const std::string& name, int32_t shards = 1, int32_t queue = 4) {
    auto attached = table_->Attach("ns", name, shards, false, queue);
    EXPECT_TRUE(attached.ok()) << attached.status();
    return attached.ok() ? attached->channel_id : 0;
  }

  // An object of one inline blob.
  static ChannelObjectBlobs Inline(const std::string& text) {
    ChannelBlob blob;
    blob.data = text;
    blob.size = static_cast<int64_t>(text.size());
    return {blob};
  }

  // An object of one block of the store holding `text` (its reference goes with it).
  ChannelObjectBlobs Block(const std::string& text) {
    auto offset = store_->Allocate(static_cast<int64_t>(text.size()));
    EXPECT_TRUE(offset.ok());
    std::memcpy(store_->data(*offset), text.data(), text.size());
    ChannelBlob blob;
    blob.in_shared_memory = true;
    blob.offset = *offset;
    blob.size = static_cast<int64_t>(text.size());
    return {blob};
  }

  // The text of a received object; releases its blocks (as a receiver does).
  std::string Text(const GetResult& result) {
    EXPECT_EQ(result.object.size(), 1u);
    if (result.object.empty()) return "";
    const ChannelBlob& blob = result.object[0];
    if (!blob.in_shared_memory) return blob.data;
    std::string text(reinterpret_cast<const char*>(store_->data(blob.offset)),
                     static_cast<size_t>(blob.size));
    EXPECT_TRUE(store_->Release(blob.offset).ok());
    return text;
  }

  Status PutNow(uint64_t id, int32_t shard, ChannelObjectBlobs object) {
    Outcome<bool> outcome;
    table_->Put(id, shard, std::move(object),
                [&](Status s) { outcome.promise.set_value({s, true}); });
    EXPECT_TRUE(outcome.ready()) << "the Put waited";
    return outcome.Take().first;
  }

  std::pair<Status, GetResult> GetNow(uint64_t id, int32_t shard, bool peek = false) {
    Outcome<GetResult> outcome;
    table_->Get(id, shard, milliseconds(0), peek,
                [&](Status s, GetResult r) { outcome.promise.set_value({s, std::move(r)}); });
    return outcome.Take();
  }

  std::shared_ptr<memory::SharedStore> store_;
  std::unique_ptr<ChannelTable> table_;
};

TEST_F(ChannelTableTest, ShardsAreFifoQueues) {
  const uint64_t id = AttachOrDie("order", 2);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(PutNow(id, 0, Inline("a" + std::to_string(i))).ok());
    ASSERT_TRUE(PutNow(id, 1, Block("b" + std::to_string(i))).ok());
  }
  for (int i = 0; i < 3; ++i) {
    auto [s0, r0] = GetNow(id, 0);
    ASSERT_TRUE(s0.ok()) << s0;
    EXPECT_EQ(Text(r0), "a" + std::to_string(i));
    auto [s1, r1] = GetNow(id, 1);
    ASSERT_TRUE(s1.ok()) << s1;
    EXPECT_EQ(Text(r1), "b" + std::to_string(i));
  }
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, ParkedGetIsAnsweredByPut) {
  const uint64_t id = AttachOrDie("wake");
  Outcome<GetResult> got;
  table_->Get(id, 0, milliseconds(-1), false,
              [&](Status s, GetResult r) { got.promise.set_value({s, std::move(r)}); });
  EXPECT_FALSE(got.ready());
  ASSERT_TRUE(PutNow(id, 0, Inline("x")).ok());
  ASSERT_TRUE(got.ready()) << "the Put did not answer the parked Get at once";
  auto [status, result] = got.Take();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Text(result), "x");
}

// The receiver waits for its answer; the sender's is not on the object's way: the Get is
// answered first.
TEST_F(ChannelTableTest, AParkedGetIsAnsweredBeforeThePutThatFedIt) {
  const uint64_t id = AttachOrDie("order of answers");
  std::vector<std::string> answered;
  table_->Get(id, 0, milliseconds(-1), false, [&](Status s, GetResult r) {
    EXPECT_TRUE(s.ok()) << s;
    answered.push_back("get " + Text(r));
  });
  table_->Put(id, 0, Inline("x"), [&](Status s) {
    EXPECT_TRUE(s.ok()) << s;
    answered.push_back("put");
  });
  EXPECT_EQ(answered, (std::vector<std::string>{"get x", "put"}));
}

TEST_F(ChannelTableTest, FullQueueParksPutUntilGetMakesRoom) {
  const uint64_t id = AttachOrDie("full", 1, 2);
  ASSERT_TRUE(PutNow(id, 0, Block("1")).ok());
  ASSERT_TRUE(PutNow(id, 0, Block("2")).ok());
  Outcome<bool> third;
  table_->Put(id, 0, Block("3"), [&](Status s) { third.promise.set_value({s, true}); });
  EXPECT_FALSE(third.ready());
  auto [status, result] = GetNow(id, 0);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(Text(result), "1");
  ASSERT_TRUE(third.ready()) << "the Get did not wake the parked Put";
  EXPECT_TRUE(third.Take().first.ok());
  EXPECT_EQ(Text(GetNow(id, 0).second), "2");
  EXPECT_EQ(Text(GetNow(id, 0).second), "3");
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, FullBatchQueuesOnEveryShardWithAReferenceEach) {
  auto attached = table_->Attach("ns", "batch", 3, true, 2);
  ASSERT_TRUE(attached.ok());
  const uint64_t id = attached->channel_id;
  ASSERT_TRUE(PutNow(id, -1, Block("all")).ok());
  for (int shard = 0; shard < 3; ++shard) {
    auto [status, result] = GetNow(id, shard);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(Text(result), "all");
  }
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, PeekLeavesTheObjectAndLendsAnExtraReference) {
  const uint64_t id = AttachOrDie("peek");
  ASSERT_TRUE(PutNow(id, 0, Block("p")).ok());
  EXPECT_EQ(Text(GetNow(id, 0, /*peek=*/true).second), "p");
  EXPECT_EQ(table_->queued_objects(), 1);
  EXPECT_EQ(Text(GetNow(id, 0).second), "p");
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, GetTimesOut) {
  const uint64_t id = AttachOrDie("timeout");
  EXPECT_EQ(GetNow(id, 0).first.code(), StatusCode::kDeadlineExceeded);
  Outcome<GetResult> got;
  const auto start = std::chrono::steady_clock::now();
  table_->Get(id, 0, milliseconds(100), false,
              [&](Status s, GetResult r) { got.promise.set_value({s, std::move(r)}); });
  auto [status, result] = got.Take();
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status;
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(100));
}

// The timer is woken only for a deadline before the one it sleeps until: each deadline
// still ends its wait on time, whether it comes before or after the timer's, and whether
// the wait the timer slept for ended first.
TEST_F(ChannelTableTest, EveryTimeoutEndsItsWaitOnTime) {
  const uint64_t id = AttachOrDie("timeouts", 2);
  auto get = [&](int32_t shard, int64_t ms, Outcome<GetResult>* out) {
    table_->Get(id, shard, milliseconds(ms), false,
                [out](Status s, GetResult r) { out->promise.set_value({s, std::move(r)}); });
  };
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
  Outcome<GetResult> late, early, after_answer, answered;
  get(0, 3000, &late);        // the timer sleeps until +3 s ...
  get(1, 100, &early);        // ... and must be woken for this one
  auto [early_status, early_result] = early.Take();
  EXPECT_EQ(early_status.code(), StatusCode::kDeadlineExceeded) << early_status;
  EXPECT_GE(elapsed(), milliseconds(100));
  EXPECT_LT(elapsed(), milliseconds(1500));
  EXPECT_FALSE(late.ready());

  get(1, 200, &answered);     // the timer sleeps until its deadline ...
  ASSERT_TRUE(PutNow(id, 1, Inline("in time")).ok());  // ... which goes away
  auto [answered_status, answered_result] = answered.Take();
  ASSERT_TRUE(answered_status.ok()) << answered_status;
  EXPECT_EQ(Text(answered_result), "in time");
  const auto second = std::chrono::steady_clock::now();
  get(1, 400, &after_answer);  // later than the one the timer sleeps for: not woken
  auto [after_status, after_result] = after_answer.Take();
  EXPECT_EQ(after_status.code(), StatusCode::kDeadlineExceeded) << after_status;
  EXPECT_GE(std::chrono::steady_clock::now() - second, milliseconds(400));
  EXPECT_LT(std::chrono::steady_clock::now() - second, milliseconds(1500));

  ASSERT_TRUE(table_->Close(id).ok());  // closed and empty: the end of the stream
  auto [late_status, late_result] = late.Take();
  ASSERT_TRUE(late_status.ok()) << late_status;
  EXPECT_TRUE(late_result.end_of_stream);
}

TEST_F(ChannelTableTest, CloseDrainsThenEndsTheStream) {
  const uint64_t id = AttachOrDie("close", 2);
  Outcome<GetResult> parked;
  table_->Get(id, 1, milliseconds(-1), false,
              [&](Status s, GetResult r) { parked.promise.set_value({s, std::move(r)}); });
  ASSERT_TRUE(PutNow(id, 0, Inline("last")).ok());
  ASSERT_TRUE(table_->Close(id).ok());
  ASSERT_TRUE(parked.ready());
  EXPECT_TRUE(parked.Take().second.end_of_stream);
  auto [s0, r0] = GetNow(id, 0);
  ASSERT_TRUE(s0.ok());
  EXPECT_EQ(Text(r0), "last");
  EXPECT_TRUE(GetNow(id, 0).second.end_of_stream);
  EXPECT_EQ(PutNow(id, 0, Inline("late")).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(table_->Close(id).ok());  // twice is fine
}

TEST_F(ChannelTableTest, SenderGoneFailsTheChannelAndFreesIt) {
  const uint64_t id = AttachOrDie("gone", 2, 1);
  ASSERT_TRUE(PutNow(id, 0, Block("queued")).ok());
  Outcome<GetResult> waiting;
  table_->Get(id, 1, milliseconds(-1), false,
              [&](Status s, GetResult r) { waiting.promise.set_value({s, std::move(r)}); });
  Outcome<bool> blocked;
  table_->Put(id, 0, Block("blocked"), [&](Status s) { blocked.promise.set_value({s, true}); });
  EXPECT_FALSE(blocked.ready());
  table_->SenderGone(id);
  EXPECT_EQ(waiting.Take().first.code(), StatusCode::kAborted);
  EXPECT_EQ(blocked.Take().first.code(), StatusCode::kAborted);
  EXPECT_EQ(GetNow(id, 0).first.code(), StatusCode::kAborted);
  EXPECT_EQ(PutNow(id, 0, Block("late")).code(), StatusCode::kAborted);
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, SecondSenderIsRefusedUntilTheFirstEnds) {
  const uint64_t first = AttachOrDie("twice");
  auto second = table_->Attach("ns", "twice", 1, false, 4);
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists) << second.status();
  ASSERT_TRUE(PutNow(first, 0, Block("old")).ok());
  ASSERT_TRUE(table_->Close(first).ok());
  const uint64_t replacement = AttachOrDie("twice");
  EXPECT_NE(replacement, first);
  EXPECT_EQ(GetNow(first, 0).first.code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->used_bytes(), 0) << "the replaced channel's objects were not freed";
}

TEST_F(ChannelTableTest, ShardOutOfRange) {
  const uint64_t id = AttachOrDie("range", 2);
  EXPECT_EQ(PutNow(id, 2, Block("x")).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(PutNow(id, -2, Inline("x")).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(GetNow(id, -1).first.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(GetNow(id, 5).first.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, DescribeWaitsForAttach) {
  Outcome<ChannelDescription> described;
  table_->Describe("ns", "later", milliseconds(-1), [&](Status s, ChannelDescription d) {
    described.promise.set_value({s, d});
  });
  EXPECT_FALSE(described.ready());
  const uint64_t id = AttachOrDie("later", 3, 7);
  auto [status, description] = described.Take();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(description.channel_id, id);
  EXPECT_EQ(description.num_shards, 3);
  EXPECT_EQ(description.max_queue_size, 7);

  Outcome<ChannelDescription> missing;
  table_->Describe("ns", "never", milliseconds(50), [&](Status s, ChannelDescription d) {
    missing.promise.set_value({s, d});
  });
  EXPECT_EQ(missing.Take().first.code(), StatusCode::kNotFound);
}

TEST_F(ChannelTableTest, DropFreesEverythingAndEndsWaits) {
  const uint64_t id = AttachOrDie("drop", 2, 1);
  ASSERT_TRUE(PutNow(id, 0, Block("a")).ok());
  Outcome<bool> parked_put;
  table_->Put(id, 0, Block("b"), [&](Status s) { parked_put.promise.set_value({s, true}); });
  Outcome<GetResult> parked_get;
  table_->Get(id, 1, milliseconds(-1), false,
              [&](Status s, GetResult r) { parked_get.promise.set_value({s, std::move(r)}); });
  EXPECT_GT(store_->used_bytes(), 0);
  ASSERT_TRUE(table_->Drop("ns", "drop").ok());
  EXPECT_EQ(parked_put.Take().first.code(), StatusCode::kNotFound);
  EXPECT_EQ(parked_get.Take().first.code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->used_bytes(), 0);
  EXPECT_EQ(table_->Drop("ns", "drop").code(), StatusCode::kNotFound);
}

TEST_F(ChannelTableTest, CancelEndsAWaitAndFreesAParkedPut) {
  const uint64_t id = AttachOrDie("cancel", 1, 1);
  ASSERT_TRUE(PutNow(id, 0, Block("a")).ok());
  Outcome<bool> parked;
  const uint64_t ticket =
      table_->Put(id, 0, Block("b"), [&](Status s) { parked.promise.set_value({s, true}); });
  table_->Cancel(ticket);
  EXPECT_EQ(parked.Take().first.code(), StatusCode::kCancelled);
  table_->Cancel(ticket);  // ended already: nothing
  EXPECT_EQ(Text(GetNow(id, 0).second), "a");
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelTableTest, ShutdownEndsWaitsAndFreesEverything) {
  const uint64_t id = AttachOrDie("stop", 2, 1);
  ASSERT_TRUE(PutNow(id, 0, Block("a")).ok());
  Outcome<GetResult> parked;
  table_->Get(id, 1, milliseconds(-1), false,
              [&](Status s, GetResult r) { parked.promise.set_value({s, std::move(r)}); });
  Outcome<ChannelDescription> describing;
  table_->Describe("ns", "none", milliseconds(-1),
                   [&](Status s, ChannelDescription d) { describing.promise.set_value({s, d}); });
  table_->Shutdown();
  EXPECT_EQ(parked.Take().first.code(), StatusCode::kUnavailable);
  EXPECT_EQ(describing.Take().first.code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_->used_bytes(), 0);
  EXPECT_EQ(table_->Attach("ns", "after", 1, false, 1).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace headrace::channel
