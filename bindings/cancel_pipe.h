// CancelPipe: how an op's Cancel() wakes a thread that waits in Python for a worker process.
//
// A waiting thread (WorkerPool.run_block) selects on read_fd() beside its worker's
// connection. Signal() writes a byte, so the wait returns at once; Drain() empties the pipe
// again before the op's next pass. Both ends are non-blocking and close-on-exec.
//
// Threading: Signal and Drain from any thread, without the GIL.
#pragma once

#include <string>

namespace headrace::bindings {

class CancelPipe {
 public:
  // Throws ResourceExhaustedError naming `owner` when the process has no descriptors left.
  explicit CancelPipe(const std::string& owner);
  ~CancelPipe();
  CancelPipe(const CancelPipe&) = delete;
  CancelPipe& operator=(const CancelPipe&) = delete;

  int read_fd() const { return read_; }
  void Signal();
  void Drain();

 private:
  int read_ = -1;
  int write_ = -1;
};

}  // namespace headrace::bindings
