// BlockingQueue<T>: a bounded FIFO between threads whose every wait can be cancelled.
//
// Capacity is counted in "weight" units: each item has a weight (1 by default; the
// number of rows for a block of rows), and Push blocks while the queued weight has
// reached the capacity. One item is always admitted into an empty queue, whatever its
// weight, so that an item heavier than the capacity cannot deadlock.
//
// Threading: any number of threads may Push and Pop concurrently. Cancel() may be called
// from any thread, any number of times: it wakes every waiter, and from then on Push and
// Pop return Status::Cancelled (Pop still returns nothing, even if items remain: a
// cancelled pipeline stops, it does not drain).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>

#include "headrace/core/status.h"
#include "headrace/core/thread_annotations.h"

namespace headrace::engine {

template <typename T>
class BlockingQueue {
 public:
  // `capacity` must be at least 1.
  explicit BlockingQueue(int64_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  BlockingQueue(const BlockingQueue&) = delete;
  BlockingQueue& operator=(const BlockingQueue&) = delete;

  // Appends `item`, waiting while the queue is full. Cancelled after Cancel().
  Status Push(T item, int64_t weight = 1) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return cancelled_ || items_.empty() || weight_ < capacity_; });
    if (cancelled_) return Status::Cancelled("queue cancelled");
    weight_ += weight;
    items_.push_back(Entry{std::move(item), weight});
    // Only a consumer that found the queue empty can be waiting.
    if (items_.size() == 1) not_empty_.notify_one();
    return Status::OK();
  }

  // Removes the oldest item into `*item`, waiting while the queue is empty.
  // Cancelled after Cancel().
  Status Pop(T* item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return cancelled_ || !items_.empty(); });
    return PopLocked(item);
  }

  // As Pop, but gives up at `deadline`: then `*timed_out` is true and nothing is removed.
  Status PopUntil(T* item, std::chrono::steady_clock::time_point deadline, bool* timed_out) {
    std::unique_lock<std::mutex> lock(mu_);
    *timed_out = !not_empty_.wait_until(lock, deadline,
                                        [&] { return cancelled_ || !items_.empty(); });
    if (*timed_out) return Status::OK();
    return PopLocked(item);
  }

  // Wakes every waiter; all later calls return Cancelled.
  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  // Number of items and their total weight now (a snapshot, for statistics).
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }
  int64_t weight() const {
    std::lock_guard<std::mutex> lock(mu_);
    return weight_;
  }

 private:
  struct Entry {
    T item;
    int64_t weight;
  };

  // The end of Pop, once the queue is not empty or was cancelled.
  Status PopLocked(T* item) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (cancelled_) return Status::Cancelled("queue cancelled");
    Entry& front = items_.front();
    *item = std::move(front.item);
    const bool was_full = weight_ >= capacity_;
    weight_ -= front.weight;
    items_.pop_front();
    if (was_full || items_.empty()) not_full_.notify_all();
    if (!items_.empty()) not_empty_.notify_one();
    return Status::OK();
  }

  const int64_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Entry> items_ HEADRACE_GUARDED_BY(mu_);
  int64_t weight_ HEADRACE_GUARDED_BY(mu_) = 0;
  bool cancelled_ HEADRACE_GUARDED_BY(mu_) = false;
};

}  // namespace headrace::engine
