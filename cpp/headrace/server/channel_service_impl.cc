#include "headrace/server/channel_service_impl.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "headrace/server/log.h"

namespace headrace::server {

namespace {

using channel::ChannelBlob;
using channel::ChannelObjectBlobs;

std::string BlobField(int index, const char* field) {
  return "object.blobs[" + std::to_string(index) + "]." + field;
}

Status CheckName(const std::string& name_space, const std::string& dataset_name) {
  if (name_space.empty()) return Status::InvalidArgument("namespace must not be empty");
  if (dataset_name.empty()) return Status::InvalidArgument("dataset_name must not be empty");
  return Status::OK();
}

std::chrono::milliseconds Millis(int64_t ms) { return std::chrono::milliseconds(ms); }

}  // namespace

ChannelServiceImpl::ChannelServiceImpl(std::shared_ptr<memory::SharedStore> store)
    : store_(store), table_(std::move(store)) {}

Status ChannelServiceImpl::Attach(const v1::AttachRequest& request, v1::AttachEvent* event) {
  RETURN_IF_ERROR(CheckName(request.namespace_(), request.dataset_name()));
  if (request.num_shards() < 1 || request.num_shards() > channel::kMaxShards) {
    return Status::InvalidArgument("num_shards must be in [1, " +
                                   std::to_string(channel::kMaxShards) + "], got " +
                                   std::to_string(request.num_shards()));
  }
  if (request.max_queue_size() < 1 || request.max_queue_size() > channel::kMaxQueueSize) {
    return Status::InvalidArgument("max_queue_size must be in [1, " +
                                   std::to_string(channel::kMaxQueueSize) + "], got " +
                                   std::to_string(request.max_queue_size()));
  }
  ASSIGN_OR_RETURN(const channel::ChannelDescription description,
                   table_.Attach(request.namespace_(), request.dataset_name(),
                                 request.num_shards(), request.full_batch(),
                                 request.max_queue_size()));
  event->set_channel_id(description.channel_id);
  LogInfo("channel " + std::to_string(description.channel_id) + " '" + request.namespace_() +
          "/" + request.dataset_name() + "': " + std::to_string(request.num_shards()) +
          " shard(s), queues of " + std::to_string(request.max_queue_size()) +
          (request.full_batch() ? ", full batch" : ""));
  return Status::OK();
}

void ChannelServiceImpl::SenderGone(uint64_t channel_id) { table_.SenderGone(channel_id); }

Status ChannelServiceImpl::Close(const v1::CloseRequest& request, v1::CloseResponse* /*response*/) {
  return table_.Close(request.channel_id());
}

Status ChannelServiceImpl::Drop(const v1::DropRequest& request, v1::DropResponse* /*response*/) {
  RETURN_IF_ERROR(CheckName(request.namespace_(), request.dataset_name()));
  return table_.Drop(request.namespace_(), request.dataset_name());
}

Status ChannelServiceImpl::Queued(const v1::QueuedRequest& request, v1::QueuedResponse* response) {
  ASSIGN_OR_RETURN(std::vector<channel::ChannelObjectBlobs> objects,
                   table_.Queued(request.channel_id(), request.shard()));
  for (channel::ChannelObjectBlobs& object : objects) {
    Answer(std::move(object), request.shared_memory(), response->add_objects());
  }
  return Status::OK();
}

Status ChannelServiceImpl::ValidateObject(const v1::ChannelObject& object) const {
  // Each blob hands over one reference: a block named twice would be released twice.
  std::unordered_map<int64_t, int> first_use;
  for (int i = 0; i < object.blobs_size(); ++i) {
    const v1::Blob& blob = object.blobs(i);
    if (blob.size() < 0) {
      return Status::InvalidArgument(BlobField(i, "size") + " must be >= 0, got " +
                                     std::to_string(blob.size()));
    }
    if (!blob.in_shared_memory()) {
      if (blob.size() != 0 && blob.size() != static_cast<int64_t>(blob.data().size())) {
        return Status::InvalidArgument(BlobField(i, "size") + " is " +
                                       std::to_string(blob.size()) + " but " +
                                       BlobField(i, "data") + " holds " +
                                       std::to_string(blob.data().size()) + " bytes");
      }
      continue;
    }
    if (!blob.data().empty()) {
      return Status::InvalidArgument(BlobField(i, "data") +
                                     " must be empty for a blob in shared memory");
    }
    if (auto [it, fresh] = first_use.emplace(blob.offset(), i); !fresh) {
      return Status::InvalidArgument(BlobField(i, "offset") + ": the block at " +
                                     std::to_string(blob.offset()) + " is already blobs[" +
                                     std::to_string(it->second) +
                                     "]'s; each blob hands over a block of its own");
    }
    Result<int64_t> block_size = store_->block_size(blob.offset());
    if (!block_size.ok()) {
      return Status::InvalidArgument(BlobField(i, "offset") + ": " +
                                     std::to_string(blob.offset()) +
                                     " is not a live block of the server's shared-memory store");
    }
    if (blob.size() > *block_size) {
      return Status::InvalidArgument(BlobField(i, "size") + " " + std::to_string(blob.size()) +
                                     " is larger than the block at offset " +
                                     std::to_string(blob.offset()) + " (" +
                                     std::to_string(*block_size) + " bytes)");
    }
  }
  return Status::OK();
}

uint64_t ChannelServiceImpl::Put(v1::PutRequest* request, Done done) {
  if (Status valid = ValidateObject(request->object()); !valid.ok()) {
    done(valid);
    return 0;
  }
  // From here on the blocks are the server's: the table releases them if the Put fails.
  ChannelObjectBlobs object;
  object.reserve(static_cast<size_t>(request->object().blobs_size()));
  for (v1::Blob& blob : *request->mutable_object()->mutable_blobs()) {
    ChannelBlob& out = object.emplace_back();
    out.in_shared_memory = blob.in_shared_memory();
    if (out.in_shared_memory) {
      out.offset = blob.offset();
      out.size = blob.size();
    } else {
      out.size = static_cast<int64_t>(blob.data().size());
      out.data = std::move(*blob.mutable_data());
    }
  }
  return table_.Put(request->channel_id(), request->shard(), std::move(object), std::move(done));
}

void ChannelServiceImpl::Answer(ChannelObjectBlobs object, bool lend,
                                v1::ChannelObject* out) const {
  for (ChannelBlob& blob : object) {
    v1::Blob* answer = out->add_blobs();
    answer->set_size(blob.size);
    if (!blob.in_shared_memory) {
      *answer->mutable_data() = std::move(blob.data);
    } else if (lend) {
      answer->set_in_shared_memory(true);
      answer->set_offset(blob.offset);
    } else {
      answer->mutable_data()->assign(reinterpret_cast<const char*>(store_->data(blob.offset)),
                                     static_cast<size_t>(blob.size));
      store_->Release(blob.offset).IgnoreError();
    }
  }
}

uint64_t ChannelServiceImpl::Get(const v1::GetRequest& request, v1::GetResponse* response,
                                 Done done) {
  const bool lend = request.shared_memory();
  return table_.Get(request.channel_id(), request.shard(), Millis(request.timeout_ms()),
                    request.peek(),
                    [this, lend, response, done = std::move(done)](Status status,
                                                                   channel::GetResult result) {
                      if (status.ok()) {
                        response->set_end_of_stream(result.end_of_stream);
                        Answer(std::move(result.object), lend, response->mutable_object());
                      }
                      done(status);
                    });
}

uint64_t ChannelServiceImpl::Describe(const v1::DescribeRequest& request,
                                      v1::DescribeResponse* response, Done done) {
  if (Status valid = CheckName(request.namespace_(), request.dataset_name()); !valid.ok()) {
    done(valid);
    return 0;
  }
  return table_.Describe(request.namespace_(), request.dataset_name(),
                         Millis(request.timeout_ms()),
                         [response, done = std::move(done)](
                             Status status, channel::ChannelDescription description) {
                           if (status.ok()) {
                             response->set_channel_id(description.channel_id);
                             response->set_num_shards(description.num_shards);
                             response->set_full_batch(description.full_batch);
                             response->set_max_queue_size(description.max_queue_size);
                           }
                           done(status);
                         });
}

void ChannelServiceImpl::ReturnLentBlocks(const v1::GetResponse& response) {
  for (const v1::Blob& blob : response.object().blobs()) {
    if (blob.in_shared_memory()) store_->Release(blob.offset()).IgnoreError();
  }
}

}  // namespace headrace::server
