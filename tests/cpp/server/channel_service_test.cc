// ChannelServiceImpl without gRPC: request validation, the blocks a Put hands over and a
// Get lends, and answers with bytes for remote receivers.
#include "headrace/server/channel_service_impl.h"

#include <gtest/gtest.h>

#include <cstring>
#include <future>
#include <memory>
#include <string>

namespace headrace::server {
namespace {

using std::chrono::milliseconds;

class ChannelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = memory::SharedStore::Create(int64_t{8} << 20);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
    impl_ = std::make_unique<ChannelServiceImpl>(store_);
  }

  Status Attach(const std::string& name, int32_t shards, int32_t queue, uint64_t* id = nullptr) {
    v1::AttachRequest request;
    request.set_namespace_("ns");
    request.set_dataset_name(name);
    request.set_num_shards(shards);
    request.set_max_queue_size(queue);
    v1::AttachEvent event;
    Status status = impl_->Attach(request, &event);
    if (id != nullptr) *id = event.channel_id();
    return status;
  }

  // Runs a wait that must end at once (or within `wait`).
  Status Await(const std::function<void(ChannelServiceImpl::Done)>& call,
               milliseconds wait = milliseconds(5000)) {
    auto promise = std::make_shared<std::promise<Status>>();
    std::future<Status> future = promise->get_future();
    call([promise](Status s) { promise->set_value(s); });
    EXPECT_EQ(future.wait_for(wait), std::future_status::ready);
    return future.get();
  }

  int64_t BlockWith(const std::string& text) {
    auto offset = store_->Allocate(static_cast<int64_t>(text.size()));
    EXPECT_TRUE(offset.ok());
    std::memcpy(store_->data(*offset), text.data(), text.size());
    return *offset;
  }

  Status Put(v1::PutRequest request) {
    return Await([&](ChannelServiceImpl::Done done) { impl_->Put(&request, std::move(done)); });
  }

  Status Get(uint64_t id, int32_t shard, bool lend, v1::GetResponse* response) {
    v1::GetRequest request;
    request.set_channel_id(id);
    request.set_shard(shard);
    request.set_shared_memory(lend);
    return Await([&](ChannelServiceImpl::Done done) {
      impl_->Get(request, response, std::move(done));
    });
  }

  std::shared_ptr<memory::SharedStore> store_;
  std::unique_ptr<ChannelServiceImpl> impl_;
};

TEST_F(ChannelServiceTest, AttachValidatesEveryField) {
  Status status = Attach("d", 0, 1);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("num_shards"), std::string::npos) << status;
  status = Attach("d", 1, 0);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("max_queue_size"), std::string::npos) << status;
  status = Attach("", 1, 1);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("dataset_name"), std::string::npos) << status;
  v1::AttachRequest no_namespace;
  no_namespace.set_dataset_name("d");
  no_namespace.set_num_shards(1);
  no_namespace.set_max_queue_size(1);
  v1::AttachEvent event;
  status = impl_->Attach(no_namespace, &event);
  EXPECT_NE(status.message().find("namespace"), std::string::npos) << status;
}

TEST_F(ChannelServiceTest, PutValidatesBlobsAndTakesNothingWhenRefused) {
  uint64_t id = 0;
  ASSERT_TRUE(Attach("d", 1, 4, &id).ok());
  const int64_t block = BlockWith("abc");
  const int64_t used = store_->used_bytes();

  v1::PutRequest dead;
  dead.set_channel_id(id);
  v1::Blob* blob = dead.mutable_object()->add_blobs();
  blob->set_in_shared_memory(true);
  blob->set_offset(block + 8);
  blob->set_size(1);
  Status status = Put(dead);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("object.blobs[0].offset"), std::string::npos) << status;

  v1::PutRequest twice;
  twice.set_channel_id(id);
  for (int i = 0; i < 2; ++i) {
    v1::Blob* b = twice.mutable_object()->add_blobs();
    b->set_in_shared_memory(true);
    b->set_offset(block);
    b->set_size(3);
  }
  status = Put(twice);
  EXPECT_NE(status.message().find("object.blobs[1].offset"), std::string::npos) << status;

  v1::PutRequest mismatch;
  mismatch.set_channel_id(id);
  mismatch.mutable_object()->add_blobs()->set_data("xy");
  mismatch.mutable_object()->mutable_blobs(0)->set_size(5);
  status = Put(mismatch);
  EXPECT_NE(status.message().find("object.blobs[0].size"), std::string::npos) << status;

  v1::PutRequest too_large;
  too_large.set_channel_id(id);
  v1::Blob* large = too_large.mutable_object()->add_blobs();
  large->set_in_shared_memory(true);
  large->set_offset(block);
  large->set_size(int64_t{1} << 20);
  status = Put(too_large);
  EXPECT_NE(status.message().find("object.blobs[0].size"), std::string::npos) << status;

  EXPECT_EQ(store_->used_bytes(), used) << "a refused Put took a reference";
  EXPECT_TRUE(store_->Release(block).ok());
}

TEST_F(ChannelServiceTest, GetLendsBlocksToLocalReceiversAndCopiesForRemoteOnes) {
  uint64_t id = 0;
  ASSERT_TRUE(Attach("d", 1, 4, &id).ok());
  for (int i = 0; i < 2; ++i) {
    v1::PutRequest put;
    put.set_channel_id(id);
    v1::Blob* blob = put.mutable_object()->add_blobs();
    blob->set_in_shared_memory(true);
    blob->set_offset(BlockWith("obj" + std::to_string(i)));
    blob->set_size(4);
    put.mutable_object()->add_blobs()->set_data("inline");
    ASSERT_TRUE(Put(put).ok());
  }
  v1::GetResponse lent;
  ASSERT_TRUE(Get(id, 0, /*lend=*/true, &lent).ok());
  ASSERT_EQ(lent.object().blobs_size(), 2);
  EXPECT_TRUE(lent.object().blobs(0).in_shared_memory());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(store_->data(lent.object().blobs(0).offset())),
                        4),
            "obj0");
  EXPECT_EQ(lent.object().blobs(1).data(), "inline");
  impl_->ReturnLentBlocks(lent);  // as if the answer never arrived

  v1::GetResponse copied;
  ASSERT_TRUE(Get(id, 0, /*lend=*/false, &copied).ok());
  EXPECT_FALSE(copied.object().blobs(0).in_shared_memory());
  EXPECT_EQ(copied.object().blobs(0).data(), "obj1");
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelServiceTest, QueuedListsTheUnreceivedObjectsAndLeavesThemQueued) {
  uint64_t id = 0;
  ASSERT_TRUE(Attach("q", 2, 4, &id).ok());
  for (int i = 0; i < 2; ++i) {
    v1::PutRequest put;
    put.set_channel_id(id);
    put.set_shard(1);
    v1::Blob* blob = put.mutable_object()->add_blobs();
    blob->set_in_shared_memory(true);
    blob->set_offset(BlockWith("obj" + std::to_string(i)));
    blob->set_size(4);
    ASSERT_TRUE(Put(put).ok());
  }
  v1::QueuedRequest request;
  request.set_channel_id(id);
  request.set_shard(1);
  v1::QueuedResponse copied;
  ASSERT_TRUE(impl_->Queued(request, &copied).ok());
  ASSERT_EQ(copied.objects_size(), 2);
  EXPECT_EQ(copied.objects(0).blobs(0).data(), "obj0");
  EXPECT_EQ(copied.objects(1).blobs(0).data(), "obj1");
  request.set_shard(0);
  v1::QueuedResponse empty;
  ASSERT_TRUE(impl_->Queued(request, &empty).ok());
  EXPECT_EQ(empty.objects_size(), 0);
  request.set_shard(2);
  EXPECT_EQ(impl_->Queued(request, &empty).code(), StatusCode::kOutOfRange);
  // Still queued: a Get receives them in order; then nothing is left in the store.
  for (const char* expected : {"obj0", "obj1"}) {
    v1::GetResponse got;
    ASSERT_TRUE(Get(id, 1, /*lend=*/false, &got).ok());
    EXPECT_EQ(got.object().blobs(0).data(), expected);
  }
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(ChannelServiceTest, DescribeAnswersTheChannel) {
  uint64_t id = 0;
  ASSERT_TRUE(Attach("d", 2, 3, &id).ok());
  v1::DescribeRequest request;
  request.set_namespace_("ns");
  request.set_dataset_name("d");
  v1::DescribeResponse response;
  ASSERT_TRUE(Await([&](ChannelServiceImpl::Done done) {
                impl_->Describe(request, &response, std::move(done));
              }).ok());
  EXPECT_EQ(response.channel_id(), id);
  EXPECT_EQ(response.num_shards(), 2);
  EXPECT_EQ(response.max_queue_size(), 3);
  request.set_dataset_name("other");
  EXPECT_EQ(Await([&](ChannelServiceImpl::Done done) {
              impl_->Describe(request, &response, std::move(done));
            }).code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace headrace::server
