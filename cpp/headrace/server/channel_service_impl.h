// ChannelServiceImpl: the transport-free behaviour of headrace-server's channel service
// (service headrace.v1.Channel, proto/headrace/v1/channel.proto) over a ChannelTable.
//
// Requests and answers are the proto messages; there is no gRPC type here, so tests call
// it directly. Every request is validated first (InvalidArgument naming the field,
// OutOfRange for a shard). Put, Get and Describe may wait: they take a callback, run
// exactly once (perhaps before they return, perhaps later on another thread), and return a
// ticket that Cancel ends. GrpcChannelService (grpc_channel_service.h) finishes its calls
// from these callbacks and cancels the ticket when a call is cancelled.
//
// Shared memory: a Put's shared-memory blobs hand the server the sender's reference to
// their blocks once the request passes validation (an InvalidArgument Put took nothing);
// from then on the server releases them itself if the Put fails. A Get answer with
// shared_memory lends the receiver one reference per block; to a remote receiver (or for
// inline blobs) the server sends the bytes and releases the block. If a lending answer
// never reaches its client, ReturnLentBlocks gives the references back.
// Threading: every method may be called from any thread concurrently.
// Ownership: owns the table; shares the store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "headrace/channel/channel_table.h"
#include "headrace/core/status.h"
#include "headrace/memory/shared_store.h"
#include "headrace/v1/channel.pb.h"

namespace headrace::server {

class ChannelServiceImpl {
 public:
  using Done = std::function<void(Status)>;

  explicit ChannelServiceImpl(std::shared_ptr<memory::SharedStore> store);
  ChannelServiceImpl(const ChannelServiceImpl&) = delete;
  ChannelServiceImpl& operator=(const ChannelServiceImpl&) = delete;

  Status Attach(const v1::AttachRequest& request, v1::AttachEvent* event);
  // The sender's Attach call ended without Close: the channel fails.
  void SenderGone(uint64_t channel_id);
  Status Close(const v1::CloseRequest& request, v1::CloseResponse* response);
  Status Drop(const v1::DropRequest& request, v1::DropResponse* response);
  Status Queued(const v1::QueuedRequest& request, v1::QueuedResponse* response);

  // The blobs' bytes are moved out of `request` (no copy). `done` gets the outcome.
  uint64_t Put(v1::PutRequest* request, Done done);
  // `response` must stay valid until `done` has run; it is filled before.
  uint64_t Get(const v1::GetRequest& request, v1::GetResponse* response, Done done);
  uint64_t Describe(const v1::DescribeRequest& request, v1::DescribeResponse* response, Done done);
  // Ends a wait with Cancelled (nothing when it has ended).
  void Cancel(uint64_t ticket) { table_.Cancel(ticket); }

  // Releases the blocks a Get answer lent, for an answer that never reached its client.
  void ReturnLentBlocks(const v1::GetResponse& response);

  // Ends every wait (Unavailable) and frees every channel. Idempotent.
  void Shutdown() { table_.Shutdown(); }

  const std::shared_ptr<memory::SharedStore>& store() const { return store_; }
  const channel::ChannelTable& table() const { return table_; }

 private:
  // InvalidArgument naming the first bad blob field of a Put.
  Status ValidateObject(const v1::ChannelObject& object) const;
  // Fills `out` with `object`: offsets when `lend`, else bytes (releasing the blocks).
  void Answer(channel::ChannelObjectBlobs object, bool lend, v1::ChannelObject* out) const;

  const std::shared_ptr<memory::SharedStore> store_;
  channel::ChannelTable table_;
};

}  // namespace headrace::server
