// WorkerPoolClient: how an engine op hands work to a Python WorkerPool
// (python/headrace/dataset/workers/pool.py) and how cancelling the op reaches the wait.
//
// RunBlock passes a list of argument tuples to `pool.run_block(rows, cancel_fd)`, which
// waits for a worker process without the GIL and returns one result per row. Cancel()
// signals the pipe whose read end that wait watches. Used by PythonWorkerPoolOp (map,
// GeneratorDataset) and PythonWorkerBatchMap (per_batch_map).
//
// Threading: RunBlock from several threads at once (the pool hands each its own worker
// process); Cancel from any thread; ClearCancel once the op's threads are joined.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "bindings/cancel_pipe.h"
#include "bindings/deferred_decref.h"
#include "headrace/core/status.h"

namespace headrace::bindings {

class WorkerPoolClient {
 public:
  // Needs the GIL. `description` begins error messages ("map function 'f'").
  WorkerPoolClient(pybind11::object pool, std::string description);

  // Needs the GIL. `*results` gets one result per row of `rows`. An exception raised in a
  // worker comes back as a Status that carries it unchanged.
  Status RunBlock(const pybind11::list& rows, pybind11::list* results);

  const std::string& description() const { return description_; }
  void Cancel() { cancel_.Signal(); }
  void ClearCancel() { cancel_.Drain(); }

 private:
  AnyThreadRef pool_;
  std::string description_;
  CancelPipe cancel_;
};

}  // namespace headrace::bindings
