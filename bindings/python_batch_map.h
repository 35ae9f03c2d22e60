// PythonBatchMap: per_batch_map as a Python callable, run by the batch op's workers.
//
// `call(batch_num, epoch_num, *columns)` gets one list of NumPy arrays per input column
// (the batch's rows) and returns a tuple with one entry per output column: a list of
// arrays (one per row) or one array whose first dimension is the rows. headrace.dataset
// wraps the user's function so that it sees MindSpore's (*columns, batch_info).
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "headrace/engine/batch_map_function.h"

namespace headrace::bindings {

class PythonBatchMap : public engine::BatchMapFunction {
 public:
  PythonBatchMap(pybind11::object call, std::string name)
      : call_(call.release().ptr()), name_(std::move(name)) {}

  std::string name() const override { return name_; }
  Status Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
               int64_t epoch_num) override;

 private:
  AnyThreadRef call_;
  std::string name_;
};

}  // namespace headrace::bindings
