// PythonWorkerPoolOp: Python callables of a map op run in worker processes.
//
// With python_multiprocessing=True the consecutive Python callables of a map chain are
// handed to a pool of worker processes (python/headrace/dataset/workers/). This op is
// their step in the chain: for each block it takes the GIL, hands the block's rows to
// `pool.run_block(rows, cancel_fd)`, which sends them to one idle worker process and waits
// for the results without the GIL, and turns the results back into columns. Results whose
// arrays came back through the shared-memory store stay there: the columns point into it.
// GeneratorDataset's random-access reads in worker processes are this op too, as a map
// over row indices.
//
// Cancel() signals a pipe whose read end run_block watches, so a thread waiting for a
// worker process wakes when the pipeline stops; ClearCancel() drains it again.
//
// Threading: ComputeBlock runs on the map op's workers, concurrently; the pool hands each
// caller its own worker process. Cancel and ClearCancel from any thread.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/cancel_pipe.h"
#include "bindings/deferred_decref.h"
#include "headrace/engine/tensor_op.h"

namespace headrace::bindings {

class PythonWorkerPoolOp : public engine::TensorOp {
 public:
  // Needs the GIL. `pool` has run_block(rows, cancel_fd) -> list of results. `name` is the
  // op's name; `description` begins its error messages ("map function 'f'").
  PythonWorkerPoolOp(pybind11::object pool, std::string name, std::string description);

  std::string name() const override { return name_; }
  Status Compute(engine::TensorList* columns) override;
  Status ComputeBlock(std::vector<engine::TensorList>* rows) override;
  void Cancel() override { cancel_.Signal(); }
  void ClearCancel() override { cancel_.Drain(); }

 private:
  std::string name_;
  std::string description_;
  AnyThreadRef pool_;
  CancelPipe cancel_;
};

}  // namespace headrace::bindings
