// ChannelClient: a sender's or receiver's connection to headrace-server's channel service
// (proto/headrace/v1/channel.proto).
//
// On the server's machine a client maps the server's shared-memory store: a sender writes
// each blob straight into a block of it (NewBlob gives writable memory there) and Put sends
// only offsets; a receiver gets Buffers viewing the blocks, without a copy, each holding the
// reference the server lent it (released in the store when the last user lets go). Remote
// clients send and receive the bytes. Local or not is decided at Connect, as for the cache.
//
// gRPC-free header (pimpl). Errors: Connect -> Unavailable within connect_timeout, naming
// host:port and how to start a server; Attach -> AlreadyExists for a second sender of a live
// channel; Describe -> NotFound when the channel did not appear within the timeout; Get ->
// OutOfRange for a bad shard, DeadlineExceeded when nothing came within the timeout, Aborted
// when the sender died; every call -> Cancelled after CancelCalls, Unavailable when the
// server has gone.
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
#include "headrace/rpc/connection_options.h"

namespace headrace::v1 {
class ChannelObject;
}  // namespace headrace::v1

namespace headrace::channel {

// Where the server is: host, port, token, connect_timeout, use_shared_memory.
using ChannelClientOptions = rpc::ConnectionOptions;

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

// The sender's hold on its channel: while it lives the Attach call stays open; destroying
// it without Close tells the server the sender is gone (receivers then get Aborted).
class SenderLease {
 public:
  virtual ~SenderLease() = default;
  virtual uint64_t channel_id() const = 0;
};

class ChannelClient {
 public:
  static Result<std::unique_ptr<ChannelClient>> Connect(const ChannelClientOptions& options);
  ~ChannelClient();
  ChannelClient(const ChannelClient&) = delete;
  ChannelClient& operator=(const ChannelClient&) = delete;

  const std::string& address() const;
  bool is_local() const;

  // Sender side.
  Result<std::unique_ptr<SenderLease>> Attach(const std::string& name_space, const std::string& dataset_name,
                                              int32_t num_shards, bool full_batch, int32_t max_queue_size);
  // Room for a blob of `size` bytes (in the store when local and it has room, else memory).
  Result<OutgoingBlob> NewBlob(int64_t size);
  // Queues one object (its blobs, in order) on `shard`, or on every shard with -1; waits for
  // room (no limit: CancelCalls ends the wait). The blobs are taken over (success or not).
  Status Put(uint64_t channel_id, int32_t shard, std::vector<OutgoingBlob> blobs);
  Status Close(uint64_t channel_id);

  // Receiver side. `timeout` negative: wait without limit.
  Result<ChannelInfo> Describe(const std::string& name_space, const std::string& dataset_name,
                               std::chrono::milliseconds timeout);
  // The next object's blobs (views of the store when local), or std::nullopt at the end of
  // the stream. With `peek` the object stays queued.
  Result<std::optional<std::vector<BufferPtr>>> Get(uint64_t channel_id, int32_t shard,
                                                     std::chrono::milliseconds timeout, bool peek);

  Status Drop(const std::string& name_space, const std::string& dataset_name);
  // The blobs of every object queued on `shard` and not yet received, oldest first; they
  // stay queued.
  Result<std::vector<std::vector<BufferPtr>>> Queued(uint64_t channel_id, int32_t shard);

  // Ends every call in flight now (they return Cancelled).
  void CancelCalls();

 private:
  struct Rep;
  explicit ChannelClient(std::unique_ptr<Rep> rep);
  // Buffers over a received object's blobs (v1::ChannelObject, declared in the .cc).
  Result<std::vector<BufferPtr>> ReceiveObject(v1::ChannelObject* object, const char* rpc) const;
  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::channel
