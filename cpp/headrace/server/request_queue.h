// RequestQueue: the server's own queue of requests, served by its worker threads.
//
// gRPC's callback handlers must not block (they run on gRPC's few threads), but a cache
// request may copy hundreds of megabytes or wait for a disk. So a handler only puts the
// work on this queue and returns; one of --workers threads ("hr-cache-work") runs it and
// finishes the call. A slow request then holds a worker, never gRPC, and requests beyond
// the workers wait their turn in arrival order.
//
// Lifetime: Shutdown() stops taking tasks, lets the workers run every task already queued
// (each finishes a gRPC call that gRPC's own shutdown waits for), then joins them. The
// destructor shuts down.
// Threading: Submit may be called from any thread, concurrently with Shutdown.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "headrace/core/thread_annotations.h"

namespace headrace::server {

class RequestQueue {
 public:
  using Task = std::function<void()>;

  // Starts `workers` (at least 1) threads.
  explicit RequestQueue(int workers);
  ~RequestQueue();
  RequestQueue(const RequestQueue&) = delete;
  RequestQueue& operator=(const RequestQueue&) = delete;

  // Queues `task` for a worker. Returns false, without running it, after Shutdown: the
  // caller must then finish the call itself.
  bool Submit(Task task);

  // Runs what is queued, stops the workers and joins them. Idempotent.
  void Shutdown();

  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable not_empty_;
  std::deque<Task> tasks_ HEADRACE_GUARDED_BY(mu_);
  bool stopping_ HEADRACE_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // set in the constructor, joined by Shutdown
  std::mutex join_mu_;                // one Shutdown joins; the others wait for it
};

}  // namespace headrace::server
