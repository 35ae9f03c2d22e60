#include "headrace/cache/cache_writer.h"

#include <pthread.h>

#include "headrace/core/warning.h"

namespace headrace::cache {

namespace {

int64_t RowBytes(const TensorRow& row) {
  int64_t bytes = 0;
  for (const TensorPtr& column : row.columns()) bytes += column->nbytes();
  return bytes;
}

}  // namespace

CacheWriter::CacheWriter(std::shared_ptr<CacheClient> client, uint64_t cache_id, int64_t queue_bytes)
    : client_(std::move(client)), cache_id_(cache_id), queue_bytes_(queue_bytes) {
  thread_ = std::thread(&CacheWriter::Run, this);
}

CacheWriter::~CacheWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool CacheWriter::Offer(int64_t id, TensorRow row) {
  const int64_t bytes = RowBytes(row);
  {
    std::lock_guard<std::mutex> lock(mu_);
    // One row larger than the whole queue still goes when the queue is empty.
    if (failed_ || stopping_ || (queued_bytes_ + bytes > queue_bytes_ && !queue_.empty())) {
      return false;
    }
    queue_.emplace_back(id, std::move(row));
    queued_bytes_ += bytes;
  }
  changed_.notify_all();
  return true;
}

bool CacheWriter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, timeout,
                    [&] { return failed_ || cancelled_ || (queue_.empty() && in_flight_ == 0); });
  return !failed_ && !cancelled_ && queue_.empty() && in_flight_ == 0;
}

void CacheWriter::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  changed_.notify_all();
}

void CacheWriter::ClearCancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = false;
}

bool CacheWriter::failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void CacheWriter::Run() {
  pthread_setname_np(pthread_self(), "hr-cachewrite");
  std::vector<std::pair<int64_t, TensorRow>> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      while (!queue_.empty() && group.size() < kRowsPerRequest) {
        queued_bytes_ -= RowBytes(queue_.front().second);
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      in_flight_ = static_cast<int64_t>(group.size());
    }
    Result<WriteResult> result = client_->WriteRows(cache_id_, group);
    {
      std::lock_guard<std::mutex> lock(mu_);
      in_flight_ = 0;
      if (!result.ok()) {
        queue_.clear();
        queued_bytes_ = 0;
        if (!failed_) {
          failed_ = true;
          Warn("the cache server at " + client_->address() + " failed while rows were written (" +
               result.status().message() + "); the pipeline carries on without writing to the cache");
        }
      }
    }
    group.clear();
    changed_.notify_all();
    if (!result.ok()) {
      // Nothing more to do; wait for the destructor.
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return stopping_; });
      return;
    }
  }
}

}  // namespace headrace::cache
