// GrpcControlService: the gRPC face of ControlServiceImpl (service headrace.v1.Server).
//
// Each RPC converts its request, calls ControlServiceImpl and converts the answer; it holds no
// state of its own. It uses gRPC's callback API: handlers run on gRPC's threads, finish
// without blocking and never wait for a stop, so the Stop reply is on its way before
// Server::Shutdown begins (Shutdown then waits for it to complete).
// With a token, each call must carry it (token_check.h), else UNAUTHENTICATED.
// This header includes gRPC: include it only from cpp/headrace/server/*.cc and tests.
// Ownership: does not own `impl`, which must outlive the service. Thread-safe, as
// ControlServiceImpl is.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>

#include "headrace/server/control_service_impl.h"
#include "headrace/v1/server.grpc.pb.h"

namespace headrace::server {

class GrpcControlService final : public v1::Server::CallbackService {
 public:
  // An empty `token` accepts every call.
  explicit GrpcControlService(ControlServiceImpl* impl, std::string token = "")
      : impl_(impl), token_(std::move(token)) {}

  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::GetStatusResponse* response) override;
  grpc::ServerUnaryReactor* Stop(grpc::CallbackServerContext* context,
                                 const v1::StopRequest* request,
                                 v1::StopResponse* response) override;
  grpc::ServerUnaryReactor* GetSegment(grpc::CallbackServerContext* context,
                                       const v1::GetSegmentRequest* request,
                                       v1::GetSegmentResponse* response) override;

 private:
  ControlServiceImpl* const impl_;
  const std::string token_;
};

}  // namespace headrace::server
