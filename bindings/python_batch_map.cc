#include "bindings/python_batch_map.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// (batch_num, epoch_num, [rows of column 0], [rows of column 1], ...). Needs the GIL.
py::tuple BatchMapArguments(const std::vector<engine::TensorList>& columns, int64_t batch_num,
                            int64_t epoch_num) {
  py::tuple arguments(columns.size() + 2);
  arguments[0] = py::int_(batch_num);
  arguments[1] = py::int_(epoch_num);
  for (size_t c = 0; c < columns.size(); ++c) {
    py::list rows;
    for (const TensorPtr& tensor : columns[c]) rows.append(TensorToNumpy(tensor));
    arguments[c + 2] = rows;
  }
  return arguments;
}

// What per_batch_map `name` returned, as output columns of rows. Needs the GIL; throws
// py::error_already_set when an item is not an array.
Status BatchMapResultToColumns(const py::object& result, const std::string& name,
                               std::vector<engine::TensorList>* columns) {
  py::tuple outputs = py::isinstance<py::tuple>(result) ? py::reinterpret_borrow<py::tuple>(result)
                                                        : py::make_tuple(result);
  std::vector<engine::TensorList> converted;
  for (py::handle output : outputs) {
    engine::TensorList rows;
    if (py::isinstance<py::list>(output) || py::isinstance<py::tuple>(output)) {
      for (py::handle item : output) rows.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(item)));
    } else {
      TensorPtr stacked = TensorFromNumpy(py::reinterpret_borrow<py::object>(output));
      if (stacked->rank() == 0) {
        return Status::InvalidArgument("per_batch_map '" + name +
                                       "': an output column must be a list of rows or an array "
                                       "with the rows along its first dimension, got a scalar");
      }
      for (int64_t r = 0; r < stacked->shape()[0]; ++r) {
        ASSIGN_OR_RETURN(TensorPtr row, stacked->Slice(r));
        rows.push_back(std::move(row));
      }
    }
    converted.push_back(std::move(rows));
  }
  *columns = std::move(converted);
  return Status::OK();
}

}  // namespace

Status PythonBatchMap::Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
                             int64_t epoch_num) {
  EngineGil gil;
  try {
    py::object result = py::handle(call_.ptr())(*BatchMapArguments(*columns, batch_num, epoch_num));
    return BatchMapResultToColumns(result, name_, columns);
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "per_batch_map '" + name_ + "'");
  }
}

PythonWorkerBatchMap::PythonWorkerBatchMap(py::object pool, std::string name)
    : pool_(pool.release().ptr()),
      name_(std::move(name)),
      cancel_("the worker pool of per_batch_map '" + name_ + "'") {}

Status PythonWorkerBatchMap::Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
                                   int64_t epoch_num) {
  EngineGil gil;
  try {
    py::list block;
    block.append(BatchMapArguments(*columns, batch_num, epoch_num));
    // run_block waits for the worker process without the GIL.
    py::list results = py::handle(pool_.ptr()).attr("run_block")(block, cancel_.read_fd());
    if (results.size() != 1) {
      return Status::Internal("the worker pool of per_batch_map '" + name_ + "' returned " +
                              std::to_string(results.size()) + " results for one batch");
    }
    return BatchMapResultToColumns(results[0], name_, columns);
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "per_batch_map '" + name_ + "'");
  }
}

}  // namespace headrace::bindings
