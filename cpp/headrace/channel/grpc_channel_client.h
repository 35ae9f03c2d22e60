// GrpcChannelClient: the ChannelClient that talks to headrace-server over gRPC.
//
// On the server's machine a client maps the server's shared-memory store: a sender writes
// each blob straight into a block of it (NewBlob gives writable memory there) and Put sends
// only offsets; a receiver gets Buffers viewing the blocks, without a copy, each holding the
// reference the server lent it (released in the store when the last user lets go). Remote
// clients send and receive the bytes. Local or not is decided at Connect, as for the cache.
//
// gRPC-free header (pimpl in grpc_channel_client.cc): the bindings include it.
// Errors: Connect -> InvalidArgument for bad options, Unauthenticated for a missing or
// wrong token, Unavailable within connect_timeout, naming host:port and how to start a
// server; later calls as ChannelClient says.
// Threading: every method may be called from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "headrace/channel/channel_client.h"
#include "headrace/core/buffer.h"
#include "headrace/core/result.h"
#include "headrace/rpc/connection_options.h"

namespace headrace::channel {

// Where the server is: host, port, token, connect_timeout, use_shared_memory.
using ChannelClientOptions = rpc::ConnectionOptions;

class GrpcChannelClient final : public ChannelClient {
 public:
  // The one way to reach a channel server.
  static Result<std::unique_ptr<ChannelClient>> Connect(const ChannelClientOptions& options);
  ~GrpcChannelClient() override;

  const std::string& address() const override;
  bool is_local() const override;

  Result<std::unique_ptr<SenderLease>> Attach(const std::string& name_space,
                                              const std::string& dataset_name, int32_t num_shards,
                                              bool full_batch, int32_t max_queue_size) override;
  Result<OutgoingBlob> NewBlob(int64_t size) override;
  Status Put(uint64_t channel_id, int32_t shard, std::vector<OutgoingBlob> blobs) override;
  Status Close(uint64_t channel_id) override;

  Result<ChannelInfo> Describe(const std::string& name_space, const std::string& dataset_name,
                               std::chrono::milliseconds timeout) override;
  Result<std::optional<std::vector<BufferPtr>>> Get(uint64_t channel_id, int32_t shard,
                                                     std::chrono::milliseconds timeout,
                                                     bool peek) override;

  Status Drop(const std::string& name_space, const std::string& dataset_name) override;
  Result<std::vector<std::vector<BufferPtr>>> Queued(uint64_t channel_id, int32_t shard) override;

  void CancelCalls() override;

 private:
  struct Rep;
  explicit GrpcChannelClient(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::channel
