#include "bindings/python_worker_pool_op.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/python_tensor_op.h"

namespace py = pybind11;

namespace headrace::bindings {

PythonWorkerPoolOp::PythonWorkerPoolOp(py::object pool, std::string name, std::string description)
    : name_(std::move(name)),
      description_(std::move(description)),
      pool_(pool.release().ptr()),
      cancel_("the worker pool of " + description_) {}

Status PythonWorkerPoolOp::Compute(engine::TensorList* columns) {
  std::vector<engine::TensorList> rows(1);
  rows[0] = std::move(*columns);
  RETURN_IF_ERROR(ComputeBlock(&rows));
  *columns = std::move(rows[0]);
  return Status::OK();
}

Status PythonWorkerPoolOp::ComputeBlock(std::vector<engine::TensorList>* rows) {
  EngineGil gil;
  try {
    py::list arguments(rows->size());
    for (size_t r = 0; r < rows->size(); ++r) {
      const engine::TensorList& columns = (*rows)[r];
      py::tuple row(columns.size());
      for (size_t c = 0; c < columns.size(); ++c) row[c] = TensorToNumpy(columns[c]);
      arguments[r] = std::move(row);
    }
    // run_block waits for the worker process without the GIL.
    py::list results = py::handle(pool_.ptr()).attr("run_block")(arguments, cancel_.read_fd());
    if (results.size() != rows->size()) {
      return Status::Internal("the worker pool of " + description_ + " returned " +
                              std::to_string(results.size()) + " results for " +
                              std::to_string(rows->size()) + " rows");
    }
    for (size_t r = 0; r < rows->size(); ++r) {
      RETURN_IF_ERROR(PythonResultToColumns(results[r], &(*rows)[r], description_));
    }
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, description_);
  }
}

}  // namespace headrace::bindings
