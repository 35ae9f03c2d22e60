// PythonTensorOp: a Python callable as one step of a map op's chain.
//
// The callable gets the row's selected columns as NumPy arrays (views of the tensors, no
// copy) and returns one array or a tuple of them (anything numpy.asarray takes). It runs
// on the map op's worker threads, taking the GIL once per block of rows. An exception it
// raises stops the pipeline and is raised again, unchanged, by the iterator.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::bindings {

// What a Python function returned, as a row's new columns: a tuple is one column per item,
// anything else one column (anything numpy.asarray takes). An error begins with
// `description` ("map function 'f'"). Needs the GIL.
Status PythonResultToColumns(pybind11::handle result, TensorList* columns,
                             const std::string& description);

class PythonTensorOp : public transforms::TensorOp {
 public:
  // Needs the GIL.
  explicit PythonTensorOp(pybind11::object function);

  std::string name() const override { return name_; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  Status ComputeBlock(std::vector<TensorList>* rows,
                      const std::vector<uint64_t>& seeds) override;

  // The function called on `arguments[0..count)`, holding the GIL: its result in
  // `result`, or its exception as the map op reports it. For callers that keep the
  // values as Python objects (python_stage.h).
  Status Call(PyObject* const* arguments, size_t count, pybind11::object* result) const;
  // "map function 'name'": what begins the errors about this function.
  const std::string& description() const { return description_; }

 private:
  Status ComputeHoldingGil(TensorList* columns);

  std::string name_;
  std::string description_;  // begins error messages
  AnyThreadRef function_;
};

// A list of operations as TensorOps: native transforms as they are, anything else (a
// Python callable) as a PythonTensorOp. Needs the GIL.
std::vector<std::shared_ptr<transforms::TensorOp>> ToTensorOps(const pybind11::list& operations);

}  // namespace headrace::bindings
