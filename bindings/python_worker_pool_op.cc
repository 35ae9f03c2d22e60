#include "bindings/python_worker_pool_op.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/python_tensor_op.h"

namespace py = pybind11;

namespace headrace::bindings {

Status PythonWorkerPoolOp::Compute(TensorList* columns, uint64_t seed) {
  std::vector<TensorList> rows(1);
  rows[0] = std::move(*columns);
  RETURN_IF_ERROR(ComputeBlock(&rows, {seed}));
  *columns = std::move(rows[0]);
  return Status::OK();
}

Status PythonWorkerPoolOp::ComputeBlock(std::vector<TensorList>* rows,
                                        const std::vector<uint64_t>& /*seeds*/) {
  EngineGil gil;
  py::list arguments(rows->size());
  try {
    for (size_t r = 0; r < rows->size(); ++r) {
      const TensorList& columns = (*rows)[r];
      py::tuple row(columns.size());
      for (size_t c = 0; c < columns.size(); ++c) row[c] = TensorToNumpy(columns[c]);
      arguments[r] = std::move(row);
    }
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, pool_.description());
  }
  py::list results;
  RETURN_IF_ERROR(pool_.RunBlock(arguments, &results));
  for (size_t r = 0; r < rows->size(); ++r) {
    RETURN_IF_ERROR(PythonResultToColumns(results[r], &(*rows)[r], pool_.description()));
  }
  return Status::OK();
}

}  // namespace headrace::bindings
