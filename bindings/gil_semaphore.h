// GilSemaphore: lets at most `count` threads at a time into a step, for threads that hold
// the GIL (the fused Python stage keeps each step to the workers its user gave it: a
// source read by one worker is never read by two threads at once, whatever the maps have).
//
// A free place is taken at once and the GIL kept. Otherwise the thread waits without the
// GIL, since a holder may be waiting for the GIL to finish its step. Cancel() ends every
// wait, and every later one, until ClearCancel().
#pragma once

#include <condition_variable>
#include <mutex>

#include "headrace/core/status.h"

namespace headrace::bindings {

class GilSemaphore {
 public:
  explicit GilSemaphore(int count) : free_(count) {}

  // With the GIL held, which it is again on return. Cancelled when cancelled first.
  Status Acquire();
  void Release();
  void Cancel();
  void ClearCancel();

  // A place held for a scope; `semaphore` may be null (no limit).
  class Hold {
   public:
    explicit Hold(GilSemaphore* semaphore)
        : semaphore_(semaphore), status_(semaphore ? semaphore->Acquire() : Status::OK()) {}
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    ~Hold() {
      if (semaphore_ != nullptr && status_.ok()) semaphore_->Release();
    }
    const Status& status() const { return status_; }

   private:
    GilSemaphore* semaphore_;
    Status status_;
  };

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int free_;
  bool cancelled_ = false;
};

}  // namespace headrace::bindings
