// LaneClient: the client's end of a call lane (call_lane.h), used by GrpcChannelClient
// for the Put and Get calls of a local client. Opening it is one OpenLane call, kept open
// as the lane's lease; destroying it ends that call, and the server closes the lane.
//
// A call returns std::nullopt when the lane cannot take it (another thread's call is in
// it, the request does not fit, the server closed the lane): the caller then makes it by
// gRPC. Otherwise it returns the call's status exactly as Connection::Call would.
// This header includes gRPC: include it only from grpc_channel_client.cc and tests.
// Threading: one call at a time runs in the lane; others are refused, not queued.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include <grpcpp/grpcpp.h>

#include "headrace/channel/call_lane.h"
#include "headrace/core/status.h"
#include "headrace/rpc/connection.h"
#include "headrace/v1/channel.grpc.pb.h"

namespace headrace::channel {

class LaneClient {
 public:
  // A lane of the server `connection` reaches (whose store it maps); null when the server
  // gives none (all in use, or a server without lanes).
  static std::unique_ptr<LaneClient> Open(const rpc::Connection* connection,
                                          std::shared_ptr<v1::Channel::Stub> stub);
  ~LaneClient();
  LaneClient(const LaneClient&) = delete;
  LaneClient& operator=(const LaneClient&) = delete;

  // No deadline: the wait ends with the answer, CancelCall or the server's end.
  std::optional<Status> Put(const v1::PutRequest& request);
  // Ends at `deadline` (then Cancelled, as a gRPC call's deadline would).
  std::optional<Status> Get(const v1::GetRequest& request, v1::GetResponse* response,
                            std::chrono::steady_clock::time_point deadline);
  // Ends the call in the lane, if any, with Cancelled.
  void CancelCall();

 private:
  LaneClient(const rpc::Connection* connection, std::shared_ptr<v1::Channel::Stub> stub,
             std::unique_ptr<grpc::ClientContext> context,
             std::unique_ptr<grpc::ClientReader<v1::LaneEvent>> reader, uint64_t lane_id,
             LaneBlock* block);

  // Writes the request, wakes the server and waits for the answer; the status and, for a
  // Get, `response`.
  std::optional<Status> Call(LaneMethod method, const char* rpc,
                             const google::protobuf::MessageLite& request,
                             v1::GetResponse* response,
                             std::optional<std::chrono::steady_clock::time_point> deadline);
  bool ServerIsGone() const;

  const rpc::Connection* const connection_;
  const std::shared_ptr<v1::Channel::Stub> stub_;
  const std::unique_ptr<grpc::ClientContext> context_;
  const std::unique_ptr<grpc::ClientReader<v1::LaneEvent>> reader_;
  const uint64_t lane_id_;
  LaneBlock* const block_;
  std::mutex call_mu_;  // held by the call in the lane
  std::atomic<bool> cancel_{false};
  std::atomic<bool> closed_{false};  // the server closed the lane or is gone
};

}  // namespace headrace::channel
