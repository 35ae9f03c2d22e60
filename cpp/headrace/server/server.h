// Server: a running headrace-server in this process (the gRPC listener and its services:
// the control service, the cache service and the channel service, with the shared-memory
// store they share, the cache's spill directory and request queue).
//
// Start() binds and starts serving; with port 0 the system picks a free port and
// BoundPort() tells which. Wait() blocks until a stop is requested, by the Stop RPC or by
// RequestStop() (e.g. from a signal watcher); Shutdown() then stops accepting calls, lets
// in-flight calls finish until the deadline, cancels the rest and returns. headrace-server's
// main() is Start, print the port, Wait, Shutdown.
//
// This header is gRPC-free (pimpl), so it may be included anywhere.
// Ownership: the caller owns the Server; destroying it shuts it down (1 s deadline).
// Threading: every method may be called from any thread. Wait() may be called by several
// threads at once; RequestStop() never blocks; Shutdown() is idempotent and also makes
// every Wait() return. Do not call Shutdown() from inside an RPC handler.
// Errors: Start returns InvalidArgument for bad options (a host other than loopback
// without a token included), ResourceExhausted when --memory is more than the shm
// directory can hold, Internal when the spill directory cannot be made, and Unavailable
// when it cannot listen on host:port (the message names both).
// Stopping: Shutdown stops the listener and the workers; the cached rows, the store and
// the spill files go when the Server is destroyed (a spill directory the server made is
// removed then).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "headrace/core/result.h"
#include "headrace/rpc/server_status_info.h"
#include "headrace/server/server_options.h"

namespace headrace::server {

class Server {
 public:
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (> 0), also when started with port 0.
  int BoundPort() const;
  // The configured host.
  const std::string& host() const;
  // FormatAddress(host(), BoundPort()): what clients connect to.
  std::string address() const;

  // The cache store's capacity in bytes (--memory, resolved).
  int64_t memory_capacity() const;
  // Local channel clients holding a call lane now (channel/call_lane.h).
  int open_channel_lanes() const;
  // Where caches spill; empty with --no-spill.
  const std::string& spill_dir() const;

  // What the GetStatus RPC would answer now.
  rpc::ServerStatusInfo GetStatus() const;

  // Blocks until a stop is requested (Stop RPC, RequestStop or Shutdown).
  void Wait();
  // Makes Wait() return; the server keeps serving until Shutdown(). Idempotent.
  void RequestStop();
  // Stops serving: refuses new calls, waits up to `deadline` for in-flight calls, then
  // cancels them. Returns when all calls are done. Idempotent.
  void Shutdown(std::chrono::milliseconds deadline);

 private:
  struct Rep;
  explicit Server(std::unique_ptr<Rep> rep);

  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::server
