#include "bindings/python_batch_map.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// (batch_num, epoch_num, [rows of column 0], [rows of column 1], ...). Needs the GIL;
// throws py::error_already_set.
py::tuple BatchMapArguments(const std::vector<TensorList>& columns, int64_t batch_num,
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

// What a per_batch_map returned, as output columns of rows. Needs the GIL. An error begins
// with `description` and says what was wrong with the value.
Status BatchMapResultToColumns(const py::object& result, const std::string& description,
                               std::vector<TensorList>* columns) {
  py::tuple outputs = py::isinstance<py::tuple>(result) ? py::reinterpret_borrow<py::tuple>(result)
                                                        : py::make_tuple(result);
  std::vector<TensorList> converted;
  try {
    for (py::handle output : outputs) {
      TensorList rows;
      if (py::isinstance<py::list>(output) || py::isinstance<py::tuple>(output)) {
        for (py::handle item : output) {
          rows.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(item)));
        }
      } else {
        TensorPtr stacked = TensorFromNumpy(py::reinterpret_borrow<py::object>(output));
        if (stacked->rank() == 0) {
          return Status::InvalidArgument(description +
                                         ": an output column must be a list of rows or an "
                                         "array with the rows along its first dimension, got "
                                         "a scalar");
        }
        for (int64_t r = 0; r < stacked->shape()[0]; ++r) {
          ASSIGN_OR_RETURN(TensorPtr row, stacked->Slice(r));
          rows.push_back(std::move(row));
        }
      }
      converted.push_back(std::move(rows));
    }
  } catch (py::error_already_set& error) {
    // The conversion failed, not user code: say which function returned what.
    return Status(CodeOfPythonException(error.value().ptr()),
                  description + " returned a value that is not an array or a list of arrays: " +
                      PythonErrorText(error));
  }
  *columns = std::move(converted);
  return Status::OK();
}

}  // namespace

Status PythonBatchMap::Apply(std::vector<TensorList>* columns, int64_t batch_num,
                             int64_t epoch_num) {
  EngineGil gil;
  py::object result;
  try {
    result = py::handle(call_.ptr())(*BatchMapArguments(*columns, batch_num, epoch_num));
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, description_);
  }
  return BatchMapResultToColumns(result, description_, columns);
}

Status PythonWorkerBatchMap::Apply(std::vector<TensorList>* columns, int64_t batch_num,
                                   int64_t epoch_num) {
  EngineGil gil;
  py::list block;
  try {
    block.append(BatchMapArguments(*columns, batch_num, epoch_num));
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, pool_.description());
  }
  py::list results;
  RETURN_IF_ERROR(pool_.RunBlock(block, &results));
  return BatchMapResultToColumns(results[0], pool_.description(), columns);
}

}  // namespace headrace::bindings
