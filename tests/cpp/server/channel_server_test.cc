// The channel service end to end: a Server on 127.0.0.1 (port 0) in this process, a
// sender and receivers (ChannelClients) in threads, locally (through the shared-memory
// store) and as remote clients do (bytes).
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "headrace/cache/grpc_cache_client.h"
#include "headrace/channel/grpc_channel_client.h"
#include "headrace/server/server.h"

namespace headrace::server {
namespace {

using channel::ChannelClient;
using channel::ChannelClientOptions;
using channel::GrpcChannelClient;
using channel::OutgoingBlob;
using channel::SenderLease;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

ServerOptions TestOptions(const std::string& token = "") {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  const int64_t memory_bytes = 64 << 20;
  options.memory = MemorySize{memory_bytes, 0.0, std::to_string(memory_bytes)};
  options.workers = 2;
  options.log_level = LogLevel::kWarning;
  options.token = token;
  return options;
}

class ChannelServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { StartServer(TestOptions()); }

  void StartServer(const ServerOptions& options) {
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }

  ChannelClientOptions Options(const std::string& token = "") const {
    ChannelClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_->BoundPort();
    options.use_shared_memory = GetParam();
    options.connect_timeout = milliseconds(5000);
    options.token = token;
    return options;
  }

  std::unique_ptr<ChannelClient> Connect(const std::string& token = "") {
    auto client = GrpcChannelClient::Connect(Options(token));
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return nullptr;
    EXPECT_EQ((*client)->is_local(), GetParam());
    return std::move(client).value();
  }

  // The server store's used bytes, as the cache service reports them.
  int64_t StoreUsed() {
    cache::CacheClientOptions options;
    options.port = server_->BoundPort();
    auto client = cache::GrpcCacheClient::Connect(options);
    EXPECT_TRUE(client.ok()) << client.status();
    auto statistics = (*client)->ListSessions();
    EXPECT_TRUE(statistics.ok()) << statistics.status();
    return statistics->memory_used;
  }

  // Waits (up to 5 s) for the store's used bytes to come back to `expected`: a client's
  // call lane is freed when the server sees its OpenLane call end, soon after the client.
  int64_t StoreUsedOnceSettled(int64_t expected) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int64_t used = StoreUsed();
    while (used != expected && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(10));
      used = StoreUsed();
    }
    return used;
  }

  static std::unique_ptr<SenderLease> AttachOrDie(ChannelClient* client, const std::string& name,
                                                  int32_t shards = 1, bool full_batch = false,
                                                  int32_t queue = 8) {
    auto lease = client->Attach("ns", name, shards, full_batch, queue);
    EXPECT_TRUE(lease.ok()) << lease.status();
    return lease.ok() ? std::move(lease).value() : nullptr;
  }

  // Sends an object of two blobs: `text` and its length as text.
  static Status Send(ChannelClient* client, uint64_t id, int32_t shard, const std::string& text) {
    std::vector<OutgoingBlob> blobs;
    for (const std::string& part : {text, std::to_string(text.size())}) {
      auto blob = client->NewBlob(static_cast<int64_t>(part.size()));
      if (!blob.ok()) return blob.status();
      std::memcpy(blob->buffer->mutable_data(), part.data(), part.size());
      blobs.push_back(std::move(blob).value());
    }
    return client->Put(id, shard, std::move(blobs));
  }

  // The next object's first blob as text; "<end>" at the end of the stream.
  static Result<std::string> Receive(ChannelClient* client, uint64_t id, int32_t shard,
                                     milliseconds timeout = milliseconds(5000), bool peek = false) {
    ASSIGN_OR_RETURN(auto object, client->Get(id, shard, timeout, peek));
    if (!object.has_value()) return std::string("<end>");
    if (object->size() != 2) return Status::Internal("expected 2 blobs");
    const BufferPtr& first = (*object)[0];
    std::string text(reinterpret_cast<const char*>(first->data()),
                     static_cast<size_t>(first->size()));
    const BufferPtr& second = (*object)[1];
    if (std::string(reinterpret_cast<const char*>(second->data()),
                    static_cast<size_t>(second->size())) != std::to_string(text.size())) {
      return Status::DataLoss("the second blob does not match");
    }
    return text;
  }

  std::unique_ptr<Server> server_;
};

INSTANTIATE_TEST_SUITE_P(LocalAndRemote, ChannelServerTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Local" : "Remote"; });

TEST_P(ChannelServerTest, ShardsKeepTheirOrderUntilTheEndOfTheStream) {
  auto sender = Connect();
  const int64_t used_at_start = StoreUsed();  // the sender's lane, when local
  auto lease = AttachOrDie(sender.get(), "order", 2, false, 3);
  const uint64_t id = lease->channel_id();
  constexpr int kObjects = 20;
  std::vector<std::future<std::vector<std::string>>> receivers;
  for (int shard = 0; shard < 2; ++shard) {
    receivers.push_back(std::async(std::launch::async, [this, shard] {
      auto receiver = Connect();
      auto info = receiver->Describe("ns", "order", milliseconds(5000));
      EXPECT_TRUE(info.ok()) << info.status();
      EXPECT_EQ(info->num_shards, 2);
      std::vector<std::string> got;
      while (true) {
        auto text = Receive(receiver.get(), info->channel_id, shard);
        EXPECT_TRUE(text.ok()) << text.status();
        if (!text.ok() || *text == "<end>") break;
        got.push_back(*text);
      }
      return got;
    }));
  }
  for (int i = 0; i < kObjects; ++i) {
    ASSERT_TRUE(Send(sender.get(), id, i % 2, "object " + std::to_string(i)).ok());
  }
  ASSERT_TRUE(sender->Close(id).ok());
  for (int shard = 0; shard < 2; ++shard) {
    std::vector<std::string> expected;
    for (int i = shard; i < kObjects; i += 2) expected.push_back("object " + std::to_string(i));
    EXPECT_EQ(receivers[shard].get(), expected);
  }
  lease.reset();
  ASSERT_TRUE(sender->Drop("ns", "order").ok());
  EXPECT_EQ(StoreUsedOnceSettled(used_at_start), used_at_start);
}

TEST_P(ChannelServerTest, FullBatchReachesEveryShard) {
  auto client = Connect();
  auto lease = AttachOrDie(client.get(), "batch", 3, true);
  ASSERT_TRUE(Send(client.get(), lease->channel_id(), -1, "everyone").ok());
  for (int shard = 0; shard < 3; ++shard) {
    auto text = Receive(client.get(), lease->channel_id(), shard);
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_EQ(*text, "everyone");
  }
  auto peeked = Receive(client.get(), lease->channel_id(), 0, milliseconds(0));
  EXPECT_EQ(peeked.status().code(), StatusCode::kDeadlineExceeded) << peeked.status();
}

TEST_P(ChannelServerTest, FullQueueHoldsPutUntilAGetMakesRoom) {
  auto sender = Connect();
  auto receiver = Connect();
  auto lease = AttachOrDie(sender.get(), "backpressure", 1, false, 2);
  const uint64_t id = lease->channel_id();
  ASSERT_TRUE(Send(sender.get(), id, 0, "a").ok());
  ASSERT_TRUE(Send(sender.get(), id, 0, "b").ok());
  auto third = std::async(std::launch::async, [&] {
    Status status = Send(sender.get(), id, 0, "c");
    return std::make_pair(status, Clock::now());
  });
  EXPECT_EQ(third.wait_for(milliseconds(300)), std::future_status::timeout)
      << "the Put did not wait for room";
  auto peeked = Receive(receiver.get(), id, 0, milliseconds(1000), /*peek=*/true);
  ASSERT_TRUE(peeked.ok());
  EXPECT_EQ(*peeked, "a");
  EXPECT_EQ(third.wait_for(milliseconds(100)), std::future_status::timeout)
      << "a peek made room";
  auto first = Receive(receiver.get(), id, 0);
  const auto room_made = Clock::now();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "a");
  auto [status, put_done] = third.get();
  ASSERT_TRUE(status.ok()) << status;
  // Woken by the Get, not found by a poll: far sooner than any polling interval.
  EXPECT_LT(put_done - room_made, milliseconds(200));
  EXPECT_EQ(*Receive(receiver.get(), id, 0), "b");
  EXPECT_EQ(*Receive(receiver.get(), id, 0), "c");
}

TEST_P(ChannelServerTest, GetTimesOut) {
  auto client = Connect();
  auto lease = AttachOrDie(client.get(), "quiet");
  const auto start = Clock::now();
  auto got = client->Get(lease->channel_id(), 0, milliseconds(150), false);
  EXPECT_EQ(got.status().code(), StatusCode::kDeadlineExceeded) << got.status();
  EXPECT_GE(Clock::now() - start, milliseconds(150));
}

TEST_P(ChannelServerTest, SenderThatGoesWithoutCloseAbortsReceivers) {
  auto sender = Connect();
  auto receiver = Connect();
  auto lease = AttachOrDie(sender.get(), "dies");
  const uint64_t id = lease->channel_id();
  auto waiting = std::async(std::launch::async, [&] {
    return receiver->Get(id, 0, milliseconds(-1), false).status();
  });
  EXPECT_EQ(waiting.wait_for(milliseconds(200)), std::future_status::timeout);
  const auto gone = Clock::now();
  lease.reset();
  ASSERT_EQ(waiting.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_LT(Clock::now() - gone, milliseconds(2000));
  EXPECT_EQ(waiting.get().code(), StatusCode::kAborted);
  EXPECT_EQ(Send(sender.get(), id, 0, "late").code(), StatusCode::kAborted);
  // A new sender may take the name over.
  EXPECT_NE(AttachOrDie(sender.get(), "dies"), nullptr);
}

TEST_P(ChannelServerTest, SecondSenderIsRefused) {
  auto first = Connect();
  auto second = Connect();
  auto lease = AttachOrDie(first.get(), "one");
  auto refused = second->Attach("ns", "one", 1, false, 8);
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists) << refused.status();
  ASSERT_TRUE(first->Close(lease->channel_id()).ok());
  lease.reset();
  EXPECT_NE(AttachOrDie(second.get(), "one"), nullptr);
}

TEST_P(ChannelServerTest, BadRequestsNameTheirFault) {
  auto client = Connect();
  auto lease = AttachOrDie(client.get(), "bad", 2);
  auto got = client->Get(lease->channel_id(), 2, milliseconds(100), false);
  EXPECT_EQ(got.status().code(), StatusCode::kOutOfRange) << got.status();
  EXPECT_EQ(Send(client.get(), lease->channel_id(), 7, "x").code(), StatusCode::kOutOfRange);
  auto attached = client->Attach("ns", "zero", 0, false, 8);
  EXPECT_EQ(attached.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(attached.status().message().find("num_shards"), std::string::npos);
}

TEST_P(ChannelServerTest, DescribeWaitsForAChannelThatAppearsLater) {
  auto receiver = Connect();
  auto sender = Connect();
  auto described = std::async(std::launch::async, [&] {
    return receiver->Describe("ns", "later", milliseconds(5000));
  });
  std::this_thread::sleep_for(milliseconds(100));
  auto lease = AttachOrDie(sender.get(), "later", 4, true, 5);
  auto info = described.get();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->channel_id, lease->channel_id());
  EXPECT_EQ(info->num_shards, 4);
  EXPECT_TRUE(info->full_batch);
  EXPECT_EQ(info->max_queue_size, 5);

  const auto start = Clock::now();
  auto missing = receiver->Describe("ns", "never", milliseconds(150));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status();
  EXPECT_GE(Clock::now() - start, milliseconds(150));
}

TEST_P(ChannelServerTest, DropFreesTheStore) {
  auto client = Connect();
  const int64_t used_at_start = StoreUsed();
  auto lease = AttachOrDie(client.get(), "dropped", 2, true, 8);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Send(client.get(), lease->channel_id(), -1, std::string(1000, 'x')).ok());
  }
  if (GetParam()) {
    EXPECT_GT(StoreUsed(), used_at_start);
  }
  ASSERT_TRUE(client->Drop("ns", "dropped").ok());
  EXPECT_EQ(StoreUsed(), used_at_start);
  EXPECT_EQ(client->Drop("ns", "dropped").code(), StatusCode::kNotFound);
}

TEST_P(ChannelServerTest, CancelCallsEndsAParkedGet) {
  auto client = Connect();
  auto lease = AttachOrDie(client.get(), "cancelled");
  auto waiting = std::async(std::launch::async, [&] {
    return client->Get(lease->channel_id(), 0, milliseconds(-1), false).status();
  });
  EXPECT_EQ(waiting.wait_for(milliseconds(200)), std::future_status::timeout);
  client->CancelCalls();
  ASSERT_EQ(waiting.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_EQ(waiting.get().code(), StatusCode::kCancelled);
}

TEST_P(ChannelServerTest, ShutdownEndsSendersAndWaitsAtOnce) {
  auto client = Connect();
  auto lease = AttachOrDie(client.get(), "stopping");
  auto waiting = std::async(std::launch::async, [&] {
    return client->Get(lease->channel_id(), 0, milliseconds(-1), false).status();
  });
  EXPECT_EQ(waiting.wait_for(milliseconds(200)), std::future_status::timeout);
  const auto start = Clock::now();
  server_->Shutdown(milliseconds(5000));
  EXPECT_LT(Clock::now() - start, milliseconds(2000)) << "the shutdown waited for the calls";
  EXPECT_EQ(waiting.get().code(), StatusCode::kUnavailable);
}

TEST_P(ChannelServerTest, TokenIsRequired) {
  server_.reset();
  StartServer(TestOptions("secret"));
  auto refused = GrpcChannelClient::Connect(Options());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated) << refused.status();
  auto client = Connect("secret");
  ASSERT_NE(client, nullptr);
  auto lease = AttachOrDie(client.get(), "guarded");
  ASSERT_TRUE(Send(client.get(), lease->channel_id(), 0, "ok").ok());
  EXPECT_EQ(*Receive(client.get(), lease->channel_id(), 0), "ok");
}

TEST_P(ChannelServerTest, LocalClientsHoldACallLaneWhileTheyLive) {
  const int64_t used_at_start = StoreUsed();
  auto sender = Connect();
  auto receiver = Connect();
  EXPECT_EQ(server_->open_channel_lanes(), GetParam() ? 2 : 0);
  auto lease = AttachOrDie(sender.get(), "laned");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Send(sender.get(), lease->channel_id(), 0, "object " + std::to_string(i)).ok());
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(*Receive(receiver.get(), lease->channel_id(), 0), "object " + std::to_string(i));
  }
  // A Get that waits in the lane while the same client's Put goes by gRPC.
  auto waiting = std::async(std::launch::async, [&] {
    return Receive(receiver.get(), lease->channel_id(), 0);
  });
  EXPECT_EQ(waiting.wait_for(milliseconds(100)), std::future_status::timeout);
  ASSERT_TRUE(Send(receiver.get(), lease->channel_id(), 0, "from the receiver's client").ok());
  EXPECT_EQ(*waiting.get(), "from the receiver's client");
  lease.reset();
  sender.reset();
  receiver.reset();
  const auto until = Clock::now() + milliseconds(5000);
  while (server_->open_channel_lanes() != 0 && Clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(server_->open_channel_lanes(), 0);
  EXPECT_EQ(StoreUsedOnceSettled(used_at_start), used_at_start);
}

TEST_P(ChannelServerTest, AnswerTooLargeForTheLaneStillArrives) {
  // A sender that sends bytes (no store) and a receiver of this kind: a local receiver's
  // lane cannot hold the 100 KB answer, which the server keeps until fetched.
  ChannelClientOptions remote = Options();
  remote.use_shared_memory = false;
  auto sender = GrpcChannelClient::Connect(remote);
  ASSERT_TRUE(sender.ok()) << sender.status();
  auto receiver = Connect();
  const int64_t used_at_start = StoreUsed();
  auto lease = AttachOrDie(sender->get(), "large");
  const std::string text(100 * 1000, 'y');
  ASSERT_TRUE(Send(sender->get(), lease->channel_id(), 0, text).ok());
  ASSERT_TRUE(Send(sender->get(), lease->channel_id(), 0, "small").ok());
  EXPECT_EQ(*Receive(receiver.get(), lease->channel_id(), 0), text);
  EXPECT_EQ(*Receive(receiver.get(), lease->channel_id(), 0), "small");
  EXPECT_EQ(StoreUsed(), used_at_start);
}

TEST(ChannelClientTest, NoServerIsUnavailableNamingTheAddress) {
  ChannelClientOptions options;
  options.port = 1;
  options.connect_timeout = milliseconds(200);
  auto client = GrpcChannelClient::Connect(options);
  EXPECT_EQ(client.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(client.status().message().find("127.0.0.1:1"), std::string::npos) << client.status();
}

}  // namespace
}  // namespace headrace::server
