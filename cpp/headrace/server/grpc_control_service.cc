#include "headrace/server/grpc_control_service.h"

#include "headrace/server/token_check.h"

namespace headrace::server {

grpc::ServerUnaryReactor* GrpcControlService::GetStatus(grpc::CallbackServerContext* context,
                                                    const v1::GetStatusRequest* /*request*/,
                                                    v1::GetStatusResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) {
    reactor->Finish(token);
    return reactor;
  }
  const rpc::ServerStatusInfo info = impl_->GetStatus();
  response->set_version(info.version);
  response->set_pid(info.pid);
  response->set_host(info.host);
  response->set_port(info.port);
  response->set_uptime_seconds(info.uptime_seconds);
  response->set_started_unix_seconds(info.started_unix_seconds);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* GrpcControlService::Stop(grpc::CallbackServerContext* context,
                                               const v1::StopRequest* /*request*/,
                                               v1::StopResponse* /*response*/) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) {
    reactor->Finish(token);
    return reactor;
  }
  // Only record the request: shutting down here would wait for this very call to finish.
  // Whoever waits in Server::Wait() shuts down, and Shutdown lets this reply complete.
  impl_->RequestStop();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* GrpcControlService::GetSegment(grpc::CallbackServerContext* context,
                                                         const v1::GetSegmentRequest* /*request*/,
                                                         v1::GetSegmentResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) {
    reactor->Finish(token);
    return reactor;
  }
  const SegmentInfo segment = impl_->GetSegment();
  response->set_pid(segment.pid);
  response->set_fd(segment.fd);
  response->set_capacity(segment.capacity);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace headrace::server
