// What every headrace client (CacheClient, ChannelClient) does the same way to reach a
// server: the gRPC channel's arguments, the first call (GetSegment of the Cache service,
// waiting up to connect_timeout and explaining an absent server), mapping the server's
// store through /proc/<pid>/fd when it runs on this machine, and the set of calls in
// flight that CancelCalls ends.
//
// This header includes gRPC: include it only from cpp/headrace/server/*.cc, pimpl'd client
// .cc files and tests.
// Threading: the functions are safe from any thread; CallSet is thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/memory/shared_store.h"
#include "headrace/v1/cache.grpc.pb.h"

namespace headrace::server {

// Loopback-friendly arguments: no http proxy, quick reconnects, keepalive (a server behind
// a dead link is noticed within seconds), messages up to kMaxMessageBytes.
grpc::ChannelArguments ClientChannelArguments();

// Unavailable: "no headrace <what> at <address>: <reason>; start one with ...".
Status NoServer(const std::string& what, const std::string& address, int port,
                const std::string& reason);

// The Status of a failed call `rpc`: Unavailable "... is not answering (...); start one
// with ..." when the server has gone, else the server's status with the call as context.
Status CallError(const char* rpc, const std::string& what, const std::string& address, int port,
                 const grpc::Status& status);

// The server's GetSegment answer, waiting for the connection up to `timeout`; NoServer
// when nothing answered. `prepare` adds the call's metadata (the token).
Result<v1::GetSegmentResponse> ReachServer(
    v1::Cache::Stub* stub, const std::function<void(grpc::ClientContext*)>& prepare,
    const std::string& what, const std::string& address, int port,
    std::chrono::milliseconds timeout);

// InvalidArgument naming the option: an empty host, a port outside [1, 65535], a timeout
// that is not positive.
Status CheckClientOptions(const std::string& host, int port, std::chrono::milliseconds connect_timeout);

// The server's store, mapped through /proc/<pid>/fd/<fd>, or an error saying why not (then
// the client sends bytes). The link's name proves that the fd is the segment of that
// server ("headrace-<pid>-..."): a server on another machine (or in another pid
// namespace) may name a pid and fd that exist here too.
Result<std::shared_ptr<memory::SharedStore>> AttachServerStore(
    const v1::GetSegmentResponse& segment);

// The server's store as a client that may use shared memory sees it: mapped, with the
// server's pid for the segment-pid metadata; or empty when the client is not to use it or
// cannot map it from here (another host, another pid namespace): it then sends bytes.
struct LocalStore {
  std::shared_ptr<memory::SharedStore> store;
  std::string server_pid;
};
LocalStore MapStoreIfLocal(bool use_shared_memory, const v1::GetSegmentResponse& segment);

// The calls in flight of one client, so that CancelCalls can end them.
class CallSet {
 public:
  void Add(grpc::ClientContext* context) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.insert(context);
  }
  void Remove(grpc::ClientContext* context) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.erase(context);
  }
  void CancelAll() {
    std::lock_guard<std::mutex> lock(mu_);
    for (grpc::ClientContext* context : calls_) context->TryCancel();
  }

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

}  // namespace headrace::server
