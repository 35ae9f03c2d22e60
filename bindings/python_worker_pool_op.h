// PythonWorkerPoolOp: Python callables of a map op run in worker processes.
//
// With python_multiprocessing=True the consecutive Python callables of a map chain are
// handed to a pool of worker processes (python/headrace/dataset/workers/). This op is
// their step in the chain: for each block it takes the GIL, hands the block's rows to the
// pool (WorkerPoolClient), which sends them to one idle worker process and waits for the
// results without the GIL, and turns the results back into columns. Results whose arrays
// came back through the shared-memory store stay there: the columns point into it.
// GeneratorDataset's random-access reads in worker processes are this op too, as a map
// over row indices.
//
// Threading: ComputeBlock runs on the map op's workers, concurrently; the pool hands each
// caller its own worker process. Cancel from any thread; ClearCancel from the map op's
// parent once its threads are joined.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/worker_pool_client.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::bindings {

class PythonWorkerPoolOp : public transforms::TensorOp {
 public:
  // Needs the GIL. `pool` has run_block(rows, cancel_fd) -> list of results. `name` is the
  // op's name; `description` begins its error messages ("map function 'f'").
  PythonWorkerPoolOp(pybind11::object pool, std::string name, std::string description)
      : name_(std::move(name)), pool_(std::move(pool), std::move(description)) {}

  std::string name() const override { return name_; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  Status ComputeBlock(std::vector<TensorList>* rows,
                      const std::vector<uint64_t>& seeds) override;
  void Cancel() override { pool_.Cancel(); }
  void ClearCancel() override { pool_.ClearCancel(); }

 private:
  std::string name_;
  WorkerPoolClient pool_;
};

}  // namespace headrace::bindings
