#include "headrace/server/request_queue.h"

#include <pthread.h>

#include <utility>

namespace headrace::server {

RequestQueue::RequestQueue(int workers) {
  if (workers < 1) workers = 1;
  threads_.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) {
    threads_.emplace_back([this] { Work(); });
    ::pthread_setname_np(threads_.back().native_handle(), "hr-cache-work");
  }
}

RequestQueue::~RequestQueue() { Shutdown(); }

bool RequestQueue::Submit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
  }
  not_empty_.notify_one();
  return true;
}

void RequestQueue::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  not_empty_.notify_all();
  std::lock_guard<std::mutex> join_lock(join_mu_);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void RequestQueue::Work() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      not_empty_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      // Drain before stopping: every queued task finishes a call someone waits for.
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace headrace::server
