#include "bindings/gil_semaphore.h"

#include <pybind11/pybind11.h>

namespace headrace::bindings {

Status GilSemaphore::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cancelled_ && free_ > 0) {
    --free_;
    return Status::OK();
  }
  lock.unlock();
  pybind11::gil_scoped_release without_gil;
  // The lock goes before the GIL is taken back (inner scope): a holder that has the GIL
  // may be taking the lock to give its place back.
  {
    std::unique_lock<std::mutex> waiting(mu_);
    changed_.wait(waiting, [this] { return cancelled_ || free_ > 0; });
    if (cancelled_) return Status::Cancelled("the Python stage was cancelled");
    --free_;
  }
  return Status::OK();
}

void GilSemaphore::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++free_;
  }
  changed_.notify_one();
}

void GilSemaphore::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  changed_.notify_all();
}

void GilSemaphore::ClearCancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = false;
}

}  // namespace headrace::bindings
