#include "headrace/server/grpc_cache_service.h"

#include <string>
#include <utility>

#include "headrace/rpc/status_conversion.h"
#include "headrace/server/segment_check.h"
#include "headrace/server/server_options.h"
#include "headrace/server/token_check.h"

namespace headrace::server {

namespace {

// A unary call's reactor that can clean up after an answer that never arrived.
class CallReactor final : public grpc::ServerUnaryReactor {
 public:
  CallReactor(grpc::CallbackServerContext* context, std::function<void()> on_undelivered)
      : context_(context), on_undelivered_(std::move(on_undelivered)) {}

  void OnDone() override {
    // IsCancelled: the call failed before its status (and so its answer) was sent.
    if (on_undelivered_ && context_->IsCancelled()) on_undelivered_();
    delete this;
  }

 private:
  grpc::CallbackServerContext* const context_;
  const std::function<void()> on_undelivered_;
};

// Finishes a call that was refused before it reached the queue.
grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context, const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

template <class Request, class Response>
grpc::ServerUnaryReactor* GrpcCacheService::Queue(
    grpc::CallbackServerContext* context, const Request* request, Response* response,
    Status (CacheServiceImpl::*method)(const Request&, Response*),
    std::function<void()> on_undelivered) {
  auto* reactor = new CallReactor(context, std::move(on_undelivered));
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) {
    reactor->Finish(token);
    return reactor;
  }
  // The request and response stay valid until the reactor's OnDone, which follows Finish.
  CacheServiceImpl* const impl = impl_;
  const bool queued = queue_->Submit([impl, reactor, request, response, method] {
    reactor->Finish(rpc::ToGrpcStatus((impl->*method)(*request, response)));
  });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the headrace server is stopping"));
  }
  return reactor;
}

grpc::ServerUnaryReactor* GrpcCacheService::CreateSession(grpc::CallbackServerContext* context,
                                                          const v1::CreateSessionRequest* request,
                                                          v1::CreateSessionResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::CreateSession);
}

grpc::ServerUnaryReactor* GrpcCacheService::ListSessions(grpc::CallbackServerContext* context,
                                                         const v1::ListSessionsRequest* request,
                                                         v1::ListSessionsResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::ListSessions);
}

grpc::ServerUnaryReactor* GrpcCacheService::DropSession(grpc::CallbackServerContext* context,
                                                        const v1::DropSessionRequest* request,
                                                        v1::DropSessionResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::DropSession);
}

grpc::ServerUnaryReactor* GrpcCacheService::OpenCache(grpc::CallbackServerContext* context,
                                                      const v1::OpenCacheRequest* request,
                                                      v1::OpenCacheResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::OpenCache);
}

grpc::ServerUnaryReactor* GrpcCacheService::Lookup(grpc::CallbackServerContext* context,
                                                   const v1::LookupRequest* request,
                                                   v1::LookupResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::Lookup);
}

grpc::ServerUnaryReactor* GrpcCacheService::WriteRows(grpc::CallbackServerContext* context,
                                                      const v1::WriteRowsRequest* request,
                                                      v1::WriteRowsResponse* response) {
  if (grpc::Status segment = CheckSegment(*context); !segment.ok()) return Refuse(context, segment);
  return Queue(context, request, response, &CacheServiceImpl::WriteRows);
}

grpc::ServerUnaryReactor* GrpcCacheService::ReadRows(grpc::CallbackServerContext* context,
                                                     const v1::ReadRowsRequest* request,
                                                     v1::ReadRowsResponse* response) {
  if (grpc::Status segment = CheckSegment(*context); !segment.ok()) return Refuse(context, segment);
  CacheServiceImpl* const impl = impl_;
  return Queue(context, request, response, &CacheServiceImpl::ReadRows,
               [impl, response] { impl->ReturnLentBlocks(*response); });
}

grpc::ServerUnaryReactor* GrpcCacheService::SetComplete(grpc::CallbackServerContext* context,
                                                        const v1::SetCompleteRequest* request,
                                                        v1::SetCompleteResponse* response) {
  return Queue(context, request, response, &CacheServiceImpl::SetComplete);
}

}  // namespace headrace::server
