#include "bindings/python_batch_map.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

Status PythonBatchMap::Apply(std::vector<engine::TensorList>* columns, int64_t batch_num,
                             int64_t epoch_num) {
  EngineGil gil;
  try {
    py::tuple arguments(columns->size() + 2);
    arguments[0] = py::int_(batch_num);
    arguments[1] = py::int_(epoch_num);
    for (size_t c = 0; c < columns->size(); ++c) {
      py::list rows;
      for (const TensorPtr& tensor : (*columns)[c]) rows.append(TensorToNumpy(tensor));
      arguments[c + 2] = rows;
    }
    py::object result = py::handle(call_.ptr())(*arguments);
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
          return Status::InvalidArgument("per_batch_map '" + name_ +
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
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "per_batch_map '" + name_ + "'");
  }
}

}  // namespace headrace::bindings
