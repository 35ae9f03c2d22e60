// ChannelClient: what a channel's sender and receivers (the bindings behind
// headrace.channel's DataSender and DataReceiver) need of headrace-server's channel
// service (proto/headrace/v1/channel.proto).
//
// An interface, so that code above it can be tested without a server; the real client is
// GrpcChannelClient (grpc_channel_client.h), which says how blobs travel (shared memory
// or bytes).
//
// Errors: Attach -> AlreadyExists for a second sender of a live channel; Describe ->
// NotFound when the channel did not appear within the timeout; Get -> OutOfRange for a
// bad shard, DeadlineExceeded when nothing came within the timeout, Aborted when the
// sender died; every call -> Cancelled after CancelCalls, Unavailable when the server has
// gone.
// Threading: every method may be called from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "headrace/core/buffer.h"
#include "headrace/core/result.h"

namespace headrace::channel {

struct ChannelInfo {
  uint64_t channel_id = 0;
  int32_t num_shards = 1;
  bool full_batch = false;
  int32_t max_queue_size = 10;
};

// A blob being sent: writable memory (a block of the server's store for a local client,
// ordinary memory otherwise) that Put takes over.
struct OutgoingBlob {
  BufferPtr buffer;     // write the blob's bytes here (buffer->mutable_data())
  int64_t offset = -1;  // its block in the store, or -1 when it travels as bytes
};

// The sender's hold on its channel: while it lives the channel has its sender (for
// GrpcChannelClient, the Attach call stays open); destroying it without Close tells the
// server the sender is gone (receivers then get Aborted).
class SenderLease {
 public:
  virtual ~SenderLease() = default;
  virtual uint64_t channel_id() const = 0;
};

class ChannelClient {
 public:
  virtual ~ChannelClient() = default;
  ChannelClient(const ChannelClient&) = delete;
  ChannelClient& operator=(const ChannelClient&) = delete;

  // "host:port" of the server.
  virtual const std::string& address() const = 0;
  // True when blobs travel through the server's shared-memory store.
  virtual bool is_local() const = 0;

  // Sender side.
  virtual Result<std::unique_ptr<SenderLease>> Attach(const std::string& name_space,
                                                      const std::string& dataset_name,
                                                      int32_t num_shards, bool full_batch,
                                                      int32_t max_queue_size) = 0;
  // Room for a blob of `size` bytes (in the store when local and it has room, else memory).
  virtual Result<OutgoingBlob> NewBlob(int64_t size) = 0;
  // Queues one object (its blobs, in order) on `shard`, or on every shard with -1; waits for
  // room (no limit: CancelCalls ends the wait). The blobs are taken over (success or not).
  virtual Status Put(uint64_t channel_id, int32_t shard, std::vector<OutgoingBlob> blobs) = 0;
  virtual Status Close(uint64_t channel_id) = 0;

  // Receiver side. `timeout` negative: wait without limit.
  virtual Result<ChannelInfo> Describe(const std::string& name_space,
                                       const std::string& dataset_name,
                                       std::chrono::milliseconds timeout) = 0;
  // The next object's blobs (views of the store when local), or std::nullopt at the end of
  // the stream. With `peek` the object stays queued.
  virtual Result<std::optional<std::vector<BufferPtr>>> Get(uint64_t channel_id, int32_t shard,
                                                             std::chrono::milliseconds timeout,
                                                             bool peek) = 0;

  virtual Status Drop(const std::string& name_space, const std::string& dataset_name) = 0;
  // The blobs of every object queued on `shard` and not yet received, oldest first; they
  // stay queued.
  virtual Result<std::vector<std::vector<BufferPtr>>> Queued(uint64_t channel_id,
                                                             int32_t shard) = 0;

  // Ends every call in flight now (they return Cancelled).
  virtual void CancelCalls() = 0;

 protected:
  ChannelClient() = default;
};

}  // namespace headrace::channel
