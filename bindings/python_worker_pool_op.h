// PythonWorkerPoolOp: Python callables of a map op run in worker processes.
//
// With python_multiprocessing=True the consecutive Python callables of a map chain are
// handed to a pool of worker processes (python/headrace/dataset/workers/). This op is
// their step in the chain: for each block it takes the GIL, hands the block's rows to
// `pool.run_block(rows, cancel_fd)`, which sends them to one idle worker process and waits
// for the results without the GIL, and turns the results back into columns. Results whose
// arrays came back through the shared-memory store stay there: the columns point into it.
//
// Cancel() writes to a pipe whose read end run_block watches, so a thread waiting for a
// worker process wakes when the pipeline stops; ClearCancel() drains it again.
//
// Threading: ComputeBlock runs on the map op's workers, concurrently; the pool hands each
// caller its own worker process. Cancel and ClearCancel from any thread.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "headrace/engine/tensor_op.h"

namespace headrace::bindings {

class PythonWorkerPoolOp : public engine::TensorOp {
 public:
  // Needs the GIL. `pool` has run_block(rows, cancel_fd) -> list of results.
  PythonWorkerPoolOp(pybind11::object pool, std::string name);
  ~PythonWorkerPoolOp() override;

  std::string name() const override { return name_; }
  Status Compute(engine::TensorList* columns) override;
  Status ComputeBlock(std::vector<engine::TensorList>* rows) override;
  void Cancel() override;
  void ClearCancel() override;

 private:
  std::string name_;
  AnyThreadRef pool_;
  int cancel_read_ = -1;
  int cancel_write_ = -1;
};

}  // namespace headrace::bindings
