// GrpcChannelService: the gRPC face of ChannelServiceImpl (service headrace.v1.Channel).
//
// Nothing here blocks a gRPC thread: every handler checks the token (and, for Put and
// Get, the segment pid), then calls the impl. Attach is a server-streaming call that
// writes the channel id once and stays open: the sender's liveness. When it ends other
// than by Close or a server stop (the client cancelled it, died, or its connection
// broke), the channel fails. Put, Get and Describe are unary reactors finished from the
// impl's callbacks, whenever the wait ends; a cancelled call (the client's deadline,
// CancelCalls, a dead client) cancels its wait. A Get answer that lent blocks but never
// reached its client gives them back when the call is done.
//
// OpenLane gives a local client a call lane (ChannelLanes) for as long as the call stays
// open; TakeLaneAnswer hands over a lane's Get answer that did not fit in it.
//
// Stopping: Shutdown() closes the lanes, ends every Attach stream and every wait (UNAVAILABLE) so that
// gRPC's own shutdown does not wait for them until its deadline; call it first.
// This header includes gRPC: include it only from cpp/headrace/server/*.cc and tests.
// Ownership: points to the impl, which must outlive it (and every call).
// Threading: handlers run on gRPC's threads; the impl's callbacks on any thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "headrace/core/thread_annotations.h"
#include "headrace/server/channel_lanes.h"
#include "headrace/server/channel_service_impl.h"
#include "headrace/v1/channel.grpc.pb.h"

namespace headrace::server {

class GrpcChannelService final : public v1::Channel::CallbackService {
 public:
  // An empty `token` accepts every call. `lanes` serves OpenLane and must outlive this.
  GrpcChannelService(ChannelServiceImpl* impl, ChannelLanes* lanes, std::string token)
      : impl_(impl), lanes_(lanes), token_(std::move(token)) {}

  grpc::ServerWriteReactor<v1::AttachEvent>* Attach(grpc::CallbackServerContext* context,
                                                    const v1::AttachRequest* request) override;
  grpc::ServerUnaryReactor* Put(grpc::CallbackServerContext* context,
                                const v1::PutRequest* request, v1::PutResponse* response) override;
  grpc::ServerUnaryReactor* Close(grpc::CallbackServerContext* context,
                                  const v1::CloseRequest* request,
                                  v1::CloseResponse* response) override;
  grpc::ServerUnaryReactor* Describe(grpc::CallbackServerContext* context,
                                     const v1::DescribeRequest* request,
                                     v1::DescribeResponse* response) override;
  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const v1::GetRequest* request, v1::GetResponse* response) override;
  grpc::ServerUnaryReactor* Drop(grpc::CallbackServerContext* context,
                                 const v1::DropRequest* request,
                                 v1::DropResponse* response) override;
  grpc::ServerUnaryReactor* Queued(grpc::CallbackServerContext* context,
                                   const v1::QueuedRequest* request,
                                   v1::QueuedResponse* response) override;
  grpc::ServerWriteReactor<v1::LaneEvent>* OpenLane(grpc::CallbackServerContext* context,
                                                    const v1::OpenLaneRequest* request) override;
  grpc::ServerUnaryReactor* TakeLaneAnswer(grpc::CallbackServerContext* context,
                                           const v1::TakeLaneAnswerRequest* request,
                                           v1::GetResponse* response) override;

  // Ends every Attach stream and every wait; later calls get UNAVAILABLE. Idempotent.
  void Shutdown();

 private:
  class AttachReactor;
  friend class AttachReactor;
  class LaneReactor;

  // Finishes the Attach stream of `channel_id` (its sender closed it), if it is open.
  void EndSender(uint64_t channel_id);

  ChannelServiceImpl* const impl_;
  ChannelLanes* const lanes_;
  const std::string token_;

  std::mutex mu_;
  // Open Attach streams by channel id; each removes itself in its OnDone.
  std::unordered_map<uint64_t, AttachReactor*> senders_ HEADRACE_GUARDED_BY(mu_);
  // Open OpenLane streams by lane id; each removes itself in its OnDone.
  std::unordered_map<uint64_t, LaneReactor*> lane_streams_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::server
