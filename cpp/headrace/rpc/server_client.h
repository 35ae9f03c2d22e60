// ServerClient: calls the control RPCs (GetStatus, Stop) of a headrace server.
//
// Connect() only prepares a channel; the server is contacted by each call, so a client
// may be created before its server starts. Each call waits at most its `timeout`.
//
// This header is gRPC-free (pimpl), so it may be included anywhere, bindings included.
// Ownership: the caller owns the client; it owns its channel.
// Threading: all methods may be called concurrently from any thread. Calls block: the
// Python bindings release the GIL around them.
// Errors: a server that cannot be reached gives Unavailable naming the address and how to
// start one (`headrace-server --port N`); no answer within the timeout gives
// DeadlineExceeded; an error from the server keeps its code, with the address in front of
// its message. An empty address or a non-positive timeout gives InvalidArgument.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/status.h"
#include "headrace/rpc/server_status_info.h"

namespace headrace::rpc {

class ServerClient {
 public:
  // `address` is "host:port", e.g. "127.0.0.1:50052" (any gRPC target is accepted).
  // `token`, when not empty, is sent with every call (a server started with --token
  // answers UNAUTHENTICATED without it).
  static Result<std::unique_ptr<ServerClient>> Connect(std::string address,
                                                       std::string token = "");

  ~ServerClient();
  ServerClient(const ServerClient&) = delete;
  ServerClient& operator=(const ServerClient&) = delete;

  const std::string& address() const;

  Result<ServerStatusInfo> GetStatus(std::chrono::milliseconds timeout);
  // Asks the server to stop. Returns once the server has acknowledged; the server
  // process finishes shortly after.
  Status Stop(std::chrono::milliseconds timeout);

 private:
  struct Rep;
  explicit ServerClient(std::unique_ptr<Rep> rep);

  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::rpc
