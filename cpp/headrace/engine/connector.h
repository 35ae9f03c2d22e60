// Connector: the bounded, order-preserving link from one op to the next.
//
// It is made of one BlockingQueue per producing worker and the two round-robin counters
// of the MindSpore design: `pop_from_`, the queue the next block comes from, and
// `expect_consumer_`, the consumer whose turn it is. A parallel op deals its input to its
// workers by letting them take turns as consumers of its child's connector (worker c gets
// blocks c, c+M, c+2M, ...); worker c pushes each result into queue c of its own output
// connector; the next op pops queues 0, 1, ..., N-1, 0, ... So the output order equals the
// input order with no reorder buffer, provided every worker pushes exactly one block per
// block it took (which is what the ops guarantee).
//
// Capacity is counted in rows, per queue. Once a block ending with end of data has been
// popped the connector has ended: every later Pop, by any consumer, returns a block
// holding just end of data at once, so that every worker of the next op learns the end.
//
// When a producer fails, Fail(error) makes the connector fail at once: every waiting and
// later Pop returns a block holding just an error row with that status, whatever its
// turn, so that the error reaches the consumer even though the failed worker will never
// push its share. (Rows still queued are dropped: the pipeline is stopping.)
//
// Threading: producer i may only be called from one thread at a time, and so may
// consumer c; different producers and consumers run concurrently. Cancel() and Fail()
// may be called from any thread: they wake every waiter; after Cancel() every Push and
// Pop returns Cancelled, after Fail() every Push returns Cancelled.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/engine/blocking_queue.h"
#include "headrace/engine/row_block.h"

namespace headrace::engine {

class Connector {
 public:
  // `num_producers` and `num_consumers` at least 1; `capacity_rows` per queue, at least 1.
  Connector(int num_producers, int num_consumers, int64_t capacity_rows);

  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  // Producer `producer_id` appends `block` to its queue, waiting while that is full.
  Status Push(int producer_id, RowBlock block);

  // Consumer `consumer_id` waits for its turn, then for the next block in order.
  Status Pop(int consumer_id, RowBlock* block);
  // As Pop, and sets `*first_row` to the number of rows popped before this block (by every
  // consumer): the position of the block's first row in the stream.
  Status Pop(int consumer_id, RowBlock* block, int64_t* first_row);

  // As Pop, but gives up at `deadline`: then `*timed_out` is true, nothing was taken and
  // the consumer keeps its turn.
  Status PopUntil(int consumer_id, RowBlock* block,
                  std::chrono::steady_clock::time_point deadline, bool* timed_out);

  // Wakes every waiter; every later call returns Cancelled.
  void Cancel();

  // Makes every Pop return an error row with `error` (not OK); the first failure wins.
  void Fail(Status error);

  int num_producers() const { return static_cast<int>(queues_.size()); }
  // Rows queued now, over all queues (a snapshot for statistics).
  int64_t queued_rows() const;
  // Rows all queues may hold together.
  int64_t capacity_rows() const { return capacity_rows_ * num_producers(); }

  // What went through the connector and how long its two sides waited (for profiles):
  // producers blocked on a full queue, consumers waiting for a block. Relaxed atomics:
  // one steady_clock read before and after each Push and Pop, a few tens of ns per block.
  struct Counters {
    int64_t rows_pushed = 0;
    int64_t rows_popped = 0;
    int64_t push_wait_ns = 0;
    int64_t pop_wait_ns = 0;
    Counters& operator+=(const Counters& other);
  };
  Counters counters() const;

 private:
  // Pop with a deadline when `timed_out` is not null.
  Status PopImpl(int consumer_id, RowBlock* block,
                 std::chrono::steady_clock::time_point deadline, bool* timed_out,
                 int64_t* first_row = nullptr);

  std::vector<std::unique_ptr<BlockingQueue<RowBlock>>> queues_;
  const int num_consumers_;
  const int64_t capacity_rows_;
  // Counters (see Counters): relaxed atomics, outside mu_.
  std::atomic<int64_t> counted_pushed_rows_{0};
  std::atomic<int64_t> counted_popped_rows_{0};
  std::atomic<int64_t> counted_push_wait_ns_{0};
  std::atomic<int64_t> counted_pop_wait_ns_{0};

  mutable std::mutex mu_;
  std::condition_variable turn_changed_;
  int pop_from_ HEADRACE_GUARDED_BY(mu_) = 0;
  int expect_consumer_ HEADRACE_GUARDED_BY(mu_) = 0;
  bool ended_ HEADRACE_GUARDED_BY(mu_) = false;
  int64_t rows_popped_ HEADRACE_GUARDED_BY(mu_) = 0;
  bool cancelled_ HEADRACE_GUARDED_BY(mu_) = false;
  Status error_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::engine
