// per_batch_map as Python code, run by the batch op's workers: in the engine's threads
// (PythonBatchMap) or in worker processes (PythonWorkerBatchMap, python_multiprocessing).
//
// The Python side is called with (batch_num, epoch_num, *columns): one list of NumPy arrays
// per input column (the batch's rows). It returns one entry per output column (a tuple for
// several): a list of arrays (one per row) or one array whose first dimension is the rows.
// headrace.dataset wraps the user's function so that it sees MindSpore's
// (*columns, batch_info).
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/cancel_pipe.h"
#include "bindings/deferred_decref.h"
#include "headrace/engine/batch_map_function.h"

namespace headrace::bindings {

class PythonBatchMap : public engine::BatchMapFunction {
 public:
  // Needs the GIL. `call(batch_num, epoch_num, *columns)` runs on the engine's threads.
  PythonBatchMap(pybind11::object call, std::string name)
      : call_(call.release().ptr()), name_(std::move(name)) {}

  std::string name() const override { return name_; }
  Status Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
               int64_t epoch_num) override;

 private:
  AnyThreadRef call_;
  std::string name_;
};

class PythonWorkerBatchMap : public engine::BatchMapFunction {
 public:
  // Needs the GIL. `pool` (headrace.dataset.workers.WorkerPool) runs the call in its
  // processes: run_block([(batch_num, epoch_num, *columns)], cancel_fd) -> [result].
  PythonWorkerBatchMap(pybind11::object pool, std::string name);

  std::string name() const override { return name_; }
  Status Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
               int64_t epoch_num) override;
  void Cancel() override { cancel_.Signal(); }
  void ClearCancel() override { cancel_.Drain(); }

 private:
  AnyThreadRef pool_;
  std::string name_;
  CancelPipe cancel_;
};

}  // namespace headrace::bindings
