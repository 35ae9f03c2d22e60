// per_batch_map as Python code, run by the batch op's workers: in the engine's threads
// (PythonBatchMap) or in worker processes (PythonWorkerBatchMap, python_multiprocessing).
//
// The Python side is called with (batch_num, epoch_num, *columns): one list of NumPy arrays
// per input column (the batch's rows). It returns one entry per output column (a tuple for
// several): a list of arrays (one per row) or one array whose first dimension is the rows.
// headrace.dataset wraps the user's function so that it sees MindSpore's
// (*columns, batch_info).
//
// Threading: Apply runs on the batch op's workers, concurrently (each takes the GIL; in
// the worker-process case the pool has a process per worker). Cancel from any thread;
// ClearCancel from the batch op's parent once its threads are joined.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/worker_pool_client.h"
#include "headrace/engine/batch_map_function.h"

namespace headrace::bindings {

class PythonBatchMap : public engine::BatchMapFunction {
 public:
  // Needs the GIL. `call(batch_num, epoch_num, *columns)` runs on the engine's threads.
  PythonBatchMap(pybind11::object call, std::string name)
      : call_(call.release().ptr()),
        name_(std::move(name)),
        description_("per_batch_map '" + name_ + "'") {}

  std::string name() const override { return name_; }
  Status Apply(std::vector<TensorList>* columns, int64_t batch_num,
               int64_t epoch_num) override;

 private:
  AnyThreadRef call_;
  std::string name_;
  std::string description_;  // begins error messages
};

class PythonWorkerBatchMap : public engine::BatchMapFunction {
 public:
  // Needs the GIL. `pool` (headrace.dataset.workers.WorkerPool) runs the call in its
  // processes, one batch per run_block: [(batch_num, epoch_num, *columns)] -> [result].
  PythonWorkerBatchMap(pybind11::object pool, std::string name)
      : name_(std::move(name)), pool_(std::move(pool), "per_batch_map '" + name_ + "'") {}

  std::string name() const override { return name_; }
  Status Apply(std::vector<TensorList>* columns, int64_t batch_num,
               int64_t epoch_num) override;
  void Cancel() override { pool_.Cancel(); }
  void ClearCancel() override { pool_.ClearCancel(); }

 private:
  std::string name_;
  WorkerPoolClient pool_;
};

}  // namespace headrace::bindings
