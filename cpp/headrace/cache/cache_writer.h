// CacheWriter: writes rows to a cache from a thread of its own, so that filling the cache
// never stalls the pipeline.
//
// The op that caches calls Offer(id, row) for every row it passes on; the writer's thread
// sends them in groups (WriteRows) to the server. When the writer falls behind, its queue
// (bounded in bytes) is full and Offer drops the row instead of waiting: that row is
// simply not cached and is computed again next epoch. When the server fails (it died),
// the writer warns once, stops writing and says so through failed().
//
// Threading: Offer and Flush from the op's thread; the statistics from any thread.
// The destructor stops the thread (rows still queued are dropped).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "headrace/cache/cache_client.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/core/tensor_row.h"

namespace headrace::cache {

class CacheWriter {
 public:
  static constexpr int64_t kDefaultQueueBytes = int64_t{256} << 20;
  static constexpr size_t kRowsPerRequest = 32;
  // How long a cache op waits at the end of a pass for the rows still being written: the
  // next pass asks the cache which rows it holds, and should find this pass's.
  static constexpr std::chrono::milliseconds kPassEndFlush{10000};

  CacheWriter(std::shared_ptr<CacheClient> client, uint64_t cache_id,
              int64_t queue_bytes = kDefaultQueueBytes);
  ~CacheWriter();
  CacheWriter(const CacheWriter&) = delete;
  CacheWriter& operator=(const CacheWriter&) = delete;

  // Queues the row for writing; false (and the row is not cached) when the queue is full
  // or the writer has failed.
  bool Offer(int64_t id, TensorRow row);

  // Waits until every queued row has been sent, or `timeout` passed, or the writer failed
  // or was cancelled. True when the queue was drained and the writer has not failed.
  bool Flush(std::chrono::milliseconds timeout);
  // Makes Flush return at once (the pipeline is being stopped; any thread), and the call
  // in flight is cancelled by the op through CacheClient::CancelCalls. ClearCancel
  // re-arms Flush for the next pass.
  void Cancel();
  void ClearCancel();

  bool failed() const;

 private:
  void Run();

  const std::shared_ptr<CacheClient> client_;
  const uint64_t cache_id_;
  const int64_t queue_bytes_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::pair<int64_t, TensorRow>> queue_ HEADRACE_GUARDED_BY(mu_);
  int64_t queued_bytes_ HEADRACE_GUARDED_BY(mu_) = 0;
  int64_t in_flight_ HEADRACE_GUARDED_BY(mu_) = 0;  // rows taken by the thread, not yet answered
  bool failed_ HEADRACE_GUARDED_BY(mu_) = false;
  bool stopping_ HEADRACE_GUARDED_BY(mu_) = false;
  bool cancelled_ HEADRACE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace headrace::cache
