// ControlServiceImpl: the transport-free behaviour of headrace-server's control service
// (headrace.v1.Server).
//
// It answers "who are you" (GetStatus) and "how do I map your store" (GetSegment), and
// records a stop request (RequestStop) that WaitForStopRequest() waits for. The gRPC
// service (grpc_control_service.h) only forwards to it,
// so tests call it directly without a network.
//
// Threading: every method is safe to call from any thread at any time. RPC handlers call
// GetStatus and RequestStop concurrently while the main thread blocks in
// WaitForStopRequest. RequestStop is idempotent and never blocks, so a handler may call it.
// Ownership: owned by Server (server.h); must outlive the gRPC service that points to it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "headrace/core/thread_annotations.h"
#include "headrace/rpc/server_status_info.h"

namespace headrace::server {

// Where a client on this machine finds the server's shared-memory store.
struct SegmentInfo {
  int64_t pid = 0;
  int fd = -1;
  int64_t capacity = 0;
};

class ControlServiceImpl {
 public:
  // `host` is reported by GetStatus as given. The start time is taken now.
  explicit ControlServiceImpl(std::string host);

  ControlServiceImpl(const ControlServiceImpl&) = delete;
  ControlServiceImpl& operator=(const ControlServiceImpl&) = delete;

  // Records the port the transport bound to; GetStatus reports 0 until then.
  void SetBoundPort(int port);

  // Records the store GetSegment tells of (its segment's fd and capacity), once it is made.
  void SetSegment(int fd, int64_t capacity);

  // A snapshot: version, pid, host, bound port, uptime and start time.
  rpc::ServerStatusInfo GetStatus() const;

  // This process and its store's segment (fd -1 until SetSegment).
  SegmentInfo GetSegment() const;

  // Asks the server to stop: wakes every WaitForStopRequest. Idempotent, non-blocking.
  void RequestStop();
  bool stop_requested() const;

  // Blocks until RequestStop has been called (returns at once if it already was).
  void WaitForStopRequest() const;
  // The same with a limit; returns whether a stop was requested.
  bool WaitForStopRequestFor(std::chrono::milliseconds timeout) const;

 private:
  const std::string host_;
  const int64_t pid_;
  const std::chrono::steady_clock::time_point started_;
  const double started_unix_seconds_;

  mutable std::mutex mu_;
  mutable std::condition_variable stop_requested_cv_;
  int port_ HEADRACE_GUARDED_BY(mu_) = 0;
  int segment_fd_ HEADRACE_GUARDED_BY(mu_) = -1;
  int64_t segment_capacity_ HEADRACE_GUARDED_BY(mu_) = 0;
  bool stop_requested_ HEADRACE_GUARDED_BY(mu_) = false;
};

}  // namespace headrace::server
