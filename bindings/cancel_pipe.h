// CancelPipe: how an op's Cancel() wakes a thread that waits in Python for a worker process.
//
// A waiting thread (WorkerPool.run_block) selects on read_fd() beside its worker's
// connection. Signal() writes a byte, so the wait returns at once; Drain() empties the pipe
// again before the op's next pass. Both ends are non-blocking and close-on-exec.
//
// A forked worker process inherits every pipe that exists when it starts; OpenFds() lists
// them so that the worker closes them (close-on-exec does nothing for a fork alone).
//
// Threading: Signal from any thread, without the GIL. Drain only while no thread waits on
// the pipe (the op's ClearCancel, after its threads are joined), or it eats the wake-up.
#pragma once

#include <string>
#include <vector>

namespace headrace::bindings {

class CancelPipe {
 public:
  // Throws OutOfMemoryError (resource exhausted) naming `owner` when the process has no
  // file descriptors left.
  explicit CancelPipe(const std::string& owner);
  ~CancelPipe();
  CancelPipe(const CancelPipe&) = delete;
  CancelPipe& operator=(const CancelPipe&) = delete;

  int read_fd() const { return read_; }
  void Signal();
  void Drain();

  // Both ends of every CancelPipe of this process.
  static std::vector<int> OpenFds();

 private:
  int read_ = -1;
  int write_ = -1;
};

}  // namespace headrace::bindings
