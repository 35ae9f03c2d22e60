#include "headrace/engine/connector.h"

#include <string>

namespace headrace::engine {

namespace {

int64_t NanosecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Connector::Counters& Connector::Counters::operator+=(const Counters& other) {
  rows_pushed += other.rows_pushed;
  rows_popped += other.rows_popped;
  push_wait_ns += other.push_wait_ns;
  pop_wait_ns += other.pop_wait_ns;
  return *this;
}

Connector::Counters Connector::counters() const {
  Counters c;
  c.rows_pushed = counted_pushed_rows_.load(std::memory_order_relaxed);
  c.rows_popped = counted_popped_rows_.load(std::memory_order_relaxed);
  c.push_wait_ns = counted_push_wait_ns_.load(std::memory_order_relaxed);
  c.pop_wait_ns = counted_pop_wait_ns_.load(std::memory_order_relaxed);
  return c;
}

Connector::Connector(int num_producers, int num_consumers, int64_t capacity_rows)
    : num_consumers_(num_consumers < 1 ? 1 : num_consumers),
      capacity_rows_(capacity_rows < 1 ? 1 : capacity_rows) {
  const int producers = num_producers < 1 ? 1 : num_producers;
  queues_.reserve(producers);
  for (int i = 0; i < producers; ++i) {
    queues_.push_back(std::make_unique<BlockingQueue<RowBlock>>(capacity_rows));
  }
}

Status Connector::Push(int producer_id, RowBlock block) {
  if (producer_id < 0 || producer_id >= num_producers()) {
    return Status::Internal("Connector::Push: producer " + std::to_string(producer_id) +
                            " of " + std::to_string(num_producers()));
  }
  const auto rows = static_cast<int64_t>(block.size());
  const auto start = std::chrono::steady_clock::now();
  Status pushed = queues_[producer_id]->Push(std::move(block), rows);
  counted_push_wait_ns_.fetch_add(NanosecondsSince(start), std::memory_order_relaxed);
  if (pushed.ok()) counted_pushed_rows_.fetch_add(rows, std::memory_order_relaxed);
  return pushed;
}

Status Connector::Pop(int consumer_id, RowBlock* block) {
  return Pop(consumer_id, block, nullptr);
}

Status Connector::Pop(int consumer_id, RowBlock* block, int64_t* first_row) {
  const auto start = std::chrono::steady_clock::now();
  Status popped = PopImpl(consumer_id, block, {}, nullptr, first_row);
  counted_pop_wait_ns_.fetch_add(NanosecondsSince(start), std::memory_order_relaxed);
  if (popped.ok()) counted_popped_rows_.fetch_add(static_cast<int64_t>(block->size()), std::memory_order_relaxed);
  return popped;
}

Status Connector::PopUntil(int consumer_id, RowBlock* block,
                           std::chrono::steady_clock::time_point deadline, bool* timed_out) {
  *timed_out = false;
  const auto start = std::chrono::steady_clock::now();
  Status popped = PopImpl(consumer_id, block, deadline, timed_out);
  counted_pop_wait_ns_.fetch_add(NanosecondsSince(start), std::memory_order_relaxed);
  if (popped.ok() && !*timed_out) {
    counted_popped_rows_.fetch_add(static_cast<int64_t>(block->size()), std::memory_order_relaxed);
  }
  return popped;
}

Status Connector::PopImpl(int consumer_id, RowBlock* block,
                          std::chrono::steady_clock::time_point deadline, bool* timed_out,
                          int64_t* first_row) {
  int queue = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto may_go = [&] {
      return cancelled_ || !error_.ok() || ended_ || expect_consumer_ == consumer_id;
    };
    if (timed_out == nullptr) {
      turn_changed_.wait(lock, may_go);
    } else if (!turn_changed_.wait_until(lock, deadline, may_go)) {
      *timed_out = true;
      return Status::OK();
    }
    if (!error_.ok()) {
      block->assign(1, TensorRow::Error(error_));
      return Status::OK();
    }
    if (cancelled_) return Status::Cancelled("connector cancelled");
    if (ended_) {
      block->assign(1, TensorRow::EndOfData());
      return Status::OK();
    }
    queue = pop_from_;
  }
  // Only the consumer whose turn it is gets here, so the counters cannot move until it
  // advances them below; the lock is not held while it waits for the block.
  Status popped = timed_out == nullptr ? queues_[queue]->Pop(block)
                                        : queues_[queue]->PopUntil(block, deadline, timed_out);
  if (popped.ok() && timed_out != nullptr && *timed_out) return Status::OK();  // keeps its turn
  std::unique_lock<std::mutex> lock(mu_);
  if (!error_.ok()) {  // Fail() cancelled the queues to wake us
    block->assign(1, TensorRow::Error(error_));
    return Status::OK();
  }
  RETURN_IF_ERROR(popped);
  if (first_row != nullptr) *first_row = rows_popped_;
  rows_popped_ += static_cast<int64_t>(block->size());
  pop_from_ = (pop_from_ + 1) % num_producers();
  expect_consumer_ = (expect_consumer_ + 1) % num_consumers_;
  const bool end = EndsWithEndOfData(*block);
  if (end) ended_ = true;
  lock.unlock();
  if (num_consumers_ > 1 || end) turn_changed_.notify_all();
  return Status::OK();
}

void Connector::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  turn_changed_.notify_all();
  for (auto& queue : queues_) queue->Cancel();
}

void Connector::Fail(Status error) {
  if (error.ok()) error = Status::Internal("Connector::Fail called with OK");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return;
    error_ = std::move(error);
  }
  turn_changed_.notify_all();
  for (auto& queue : queues_) queue->Cancel();
}

int64_t Connector::queued_rows() const {
  int64_t rows = 0;
  for (const auto& queue : queues_) rows += queue->weight();
  return rows;
}

}  // namespace headrace::engine
