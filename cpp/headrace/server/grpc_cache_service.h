// GrpcCacheService: the gRPC face of CacheServiceImpl (service headrace.v1.Cache).
//
// Each handler checks the token, then puts the work on the server's RequestQueue and
// returns at once; a worker thread converts nothing (the impl takes the proto messages),
// calls CacheServiceImpl and finishes the call with its Status. So slow requests (large
// copies, a disk) hold the server's workers, never gRPC's threads.
//
// WriteRows and ReadRows of a local client name the server process whose store it maps;
// after a restart they are refused (FAILED_PRECONDITION) before any offset is used.
// A ReadRows answer may lend shared-memory blocks to the client; if the call fails before
// the answer is delivered (the client went away, a deadline), the reactor gives those
// references back when the call is done.
// Queued work runs even if its call was cancelled meanwhile: a WriteRows hands blocks
// over, and the client cannot know whether the server took them, so the server always
// does.
//
// This header includes gRPC: include it only from cpp/headrace/server/*.cc and tests.
// Ownership: points to the impl and the queue, which must outlive it (and every call).
// Threading: handlers run on gRPC's threads; the queue's workers run the rest.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "headrace/server/cache_service_impl.h"
#include "headrace/server/request_queue.h"
#include "headrace/v1/cache.grpc.pb.h"

namespace headrace::server {

class GrpcCacheService final : public v1::Cache::CallbackService {
 public:
  // An empty `token` accepts every call.
  GrpcCacheService(CacheServiceImpl* impl, RequestQueue* queue, std::string token)
      : impl_(impl), queue_(queue), token_(std::move(token)) {}

  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* context,
                                          const v1::CreateSessionRequest* request,
                                          v1::CreateSessionResponse* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::ServerUnaryReactor* DropSession(grpc::CallbackServerContext* context,
                                        const v1::DropSessionRequest* request,
                                        v1::DropSessionResponse* response) override;
  grpc::ServerUnaryReactor* OpenCache(grpc::CallbackServerContext* context,
                                      const v1::OpenCacheRequest* request,
                                      v1::OpenCacheResponse* response) override;
  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context,
                                   const v1::LookupRequest* request,
                                   v1::LookupResponse* response) override;
  grpc::ServerUnaryReactor* WriteRows(grpc::CallbackServerContext* context,
                                      const v1::WriteRowsRequest* request,
                                      v1::WriteRowsResponse* response) override;
  grpc::ServerUnaryReactor* ReadRows(grpc::CallbackServerContext* context,
                                     const v1::ReadRowsRequest* request,
                                     v1::ReadRowsResponse* response) override;
  grpc::ServerUnaryReactor* SetComplete(grpc::CallbackServerContext* context,
                                        const v1::SetCompleteRequest* request,
                                        v1::SetCompleteResponse* response) override;

 private:
  // Checks the token and queues `(impl_->*method)(*request, response)`; `on_undelivered`
  // (may be empty) runs if the call ends without its answer reaching the client.
  template <class Request, class Response>
  grpc::ServerUnaryReactor* Queue(grpc::CallbackServerContext* context, const Request* request,
                                  Response* response,
                                  Status (CacheServiceImpl::*method)(const Request&, Response*),
                                  std::function<void()> on_undelivered = nullptr);

  CacheServiceImpl* const impl_;
  RequestQueue* const queue_;
  const std::string token_;
};

}  // namespace headrace::server
