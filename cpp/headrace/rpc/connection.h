// Connection: what every headrace client (GrpcCacheClient, GrpcChannelClient) does alike to
// reach a server. It makes the gRPC channel, makes the first call (GetSegment of the
// Server service, waiting up to connect_timeout and explaining an absent server), maps the
// server's store through /proc/<pid>/fd when the server runs on this machine, and makes
// every later unary call: the token and segment metadata, the deadline, the set of calls
// in flight that CancelCalls ends, and an error that names the call and the server.
//
// This header includes gRPC: include it only from .cc files (the clients keep it behind
// a pimpl) and tests.
// Threading: every method may be called from any thread at once; Open returns an object
// that does not change afterwards, except for the set of calls in flight (locked).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/memory/shared_store.h"
#include "headrace/rpc/connection_options.h"

namespace headrace::rpc {

// The calls in flight of one client, so that CancelAll can end them.
class CallSet {
 public:
  void Add(grpc::ClientContext* context);
  void Remove(grpc::ClientContext* context);
  void CancelAll();

 private:
  std::mutex mu_;
  std::set<grpc::ClientContext*> calls_ HEADRACE_GUARDED_BY(mu_);
};

// Adds a call to a CallSet for its scope.
class ScopedCall {
 public:
  ScopedCall(CallSet* calls, grpc::ClientContext* context) : calls_(calls), context_(context) {
    calls_->Add(context_);
  }
  ~ScopedCall() { calls_->Remove(context_); }
  ScopedCall(const ScopedCall&) = delete;
  ScopedCall& operator=(const ScopedCall&) = delete;

 private:
  CallSet* const calls_;
  grpc::ClientContext* const context_;
};

class Connection {
 public:
  // Checks `options` (InvalidArgument naming the field: an empty host, a port outside
  // [1, 65535], a connect_timeout that is not positive), then reaches the server:
  // Unavailable "no headrace <what> at <address>: <reason>; start one with ..." when
  // nothing answers within connect_timeout. `what` names the server in messages
  // ("cache server", "server").
  static Result<std::unique_ptr<Connection>> Open(const ConnectionOptions& options,
                                                  std::string what);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& address() const { return address_; }
  // The server's store, mapped here; null when the client sends bytes instead (not asked
  // to use shared memory, or the server is on another machine or in another pid
  // namespace).
  const std::shared_ptr<memory::SharedStore>& store() const { return store_; }
  bool is_local() const { return store_ != nullptr; }
  // The pid of the server whose store() this is (0 when none is mapped).
  int server_pid() const { return server_pid_.empty() ? 0 : std::stoi(server_pid_); }

  // Adds the metadata every call carries: the token, and for a local client the pid of
  // the server whose store it maps.
  void Prepare(grpc::ClientContext* context) const;

  // One unary call of `method` on `stub`, ended at `deadline` (none: only CancelCalls or
  // the server's end). A server that has gone fails it at once; CancelCalls ends it
  // sooner. Errors: Unavailable "...is not answering...; start one with ..." when the
  // server is gone, else the server's status with the call and the address as context.
  template <class Stub, class Request, class Response>
  Status Call(const char* rpc, Stub* stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const Request& request, Response* response,
              std::optional<std::chrono::system_clock::time_point> deadline) const {
    grpc::ClientContext context;
    Prepare(&context);
    if (deadline.has_value()) context.set_deadline(*deadline);
    grpc::Status status;
    {
      ScopedCall in_flight(&calls_, &context);
      status = (stub->*method)(&context, request, response);
    }
    return status.ok() ? Status::OK() : CallError(rpc, status);
  }

  // The Status of a failed call `rpc`, as Call returns it.
  Status CallError(const char* rpc, const grpc::Status& status) const;

  // Ends every call in flight (Call returns Cancelled); later calls are not affected.
  void CancelCalls() { calls_.CancelAll(); }
  // For a call that outlives Call (a stream): add its context for its scope.
  CallSet* calls() const { return &calls_; }

  // Gives back one reference on each block (of store()), e.g. blocks a failed call left
  // with the client.
  void ReleaseBlocks(const std::vector<int64_t>& offsets) const;

 private:
  Connection(ConnectionOptions options, std::string what, std::string address,
             std::shared_ptr<grpc::Channel> channel);

  const ConnectionOptions options_;
  const std::string what_;
  const std::string address_;
  const std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<memory::SharedStore> store_;  // set by Open, then fixed
  std::string server_pid_;                       // of store_'s server
  mutable CallSet calls_;
};

// Whether a call that handed blocks of the store to the server certainly left them with
// the client after failing with `code`, so that the client must release them: true for
// the codes that mean the request was never handled (UNAUTHENTICATED, RESOURCE_EXHAUSTED
// for a message too large to be received, UNIMPLEMENTED) and for
// `refused_before_taking`, the codes that the service's own checks return before it
// takes a reference. After any other failure the server may hold them, and releasing
// them again could free a block someone else holds now: they are left (a leak in the
// store until the server stops, never a corruption).
bool BlocksStayedWithClient(StatusCode code, std::initializer_list<StatusCode> refused_before_taking);

// Loopback-friendly channel arguments: no http proxy, quick reconnects, keepalive (a
// server behind a dead link is noticed within seconds), messages up to kMaxMessageBytes.
// For clients that do not hold a Connection (ServerClient).
grpc::ChannelArguments ClientChannelArguments();

// "start one with `headrace cache start` (or headrace-server [--host H] --port P)", the
// advice every "no server" message ends with.
std::string StartAdvice(const std::string& host, int port);

// The Status of a failed call `rpc` to the headrace `what` at `address`, for every client:
// Unavailable "<rpc>: the headrace <what> at <address> is not answering (<gRPC's reason>);
// <start_advice>" when the server is gone, else the server's status with the call and
// the address as context.
Status CallFailure(const char* rpc, const std::string& what, const std::string& address,
                   const std::string& start_advice, const grpc::Status& status);

}  // namespace headrace::rpc
