#include "bindings/python_tensor_op.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

std::string CallableName(const py::object& function) {
  for (const char* attribute : {"__qualname__", "__name__"}) {
    if (py::hasattr(function, attribute)) return py::str(function.attr(attribute));
  }
  return py::str(py::type::handle_of(function).attr("__name__"));
}

}  // namespace

Status PythonResultToColumns(py::handle result, TensorList* columns,
                             const std::string& description) {
  columns->clear();
  try {
    if (py::isinstance<py::tuple>(result)) {
      for (py::handle item : result) {
        columns->push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(item)));
      }
    } else {
      columns->push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(result)));
    }
    return Status::OK();
  } catch (py::error_already_set& error) {
    // The conversion failed, not user code: say which function returned what.
    return Status(CodeOfPythonException(error.value().ptr()),
                  description + " returned a value that is not an array or a tuple of "
                  "arrays: " + PythonErrorText(error));
  }
}

PythonTensorOp::PythonTensorOp(py::object function)
    : name_(CallableName(function)),
      description_("map function '" + name_ + "'"),
      function_(function.release().ptr()) {}

Status PythonTensorOp::Compute(TensorList* columns, uint64_t /*seed*/) {
  EngineGil gil;
  return ComputeHoldingGil(columns);
}

Status PythonTensorOp::ComputeBlock(std::vector<TensorList>* rows,
                                    const std::vector<uint64_t>& /*seeds*/) {
  EngineGil gil;
  for (TensorList& columns : *rows) RETURN_IF_ERROR(ComputeHoldingGil(&columns));
  return Status::OK();
}

Status PythonTensorOp::ComputeHoldingGil(TensorList* columns) {
  try {
    // A vectorcall with the arrays on the stack: this runs once per row under the GIL, so
    // it builds no argument tuple and allocates nothing for the common few columns.
    constexpr size_t kStackColumns = 8;
    const size_t count = columns->size();
    py::object stack_arrays[kStackColumns];
    PyObject* stack_arguments[kStackColumns];
    std::vector<py::object> heap_arrays;
    std::vector<PyObject*> heap_arguments;
    py::object* arrays = stack_arrays;
    PyObject** arguments = stack_arguments;
    if (count > kStackColumns) {
      heap_arrays.resize(count);
      heap_arguments.resize(count);
      arrays = heap_arrays.data();
      arguments = heap_arguments.data();
    }
    for (size_t i = 0; i < count; ++i) {
      arrays[i] = TensorToNumpy((*columns)[i]);
      arguments[i] = arrays[i].ptr();
    }
    py::object result;
    RETURN_IF_ERROR(Call(arguments, count, &result));
    return PythonResultToColumns(result, columns, description_);
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, description_);
  }
}

Status PythonTensorOp::Call(PyObject* const* arguments, size_t count, py::object* result) const {
  PyObject* made = PyObject_Vectorcall(function_.ptr(), arguments, count, nullptr);
  if (made == nullptr) {
    py::error_already_set error;
    return StatusFromPythonError(error, description_);
  }
  *result = py::reinterpret_steal<py::object>(made);
  return Status::OK();
}

std::vector<std::shared_ptr<transforms::TensorOp>> ToTensorOps(const py::list& operations) {
  std::vector<std::shared_ptr<transforms::TensorOp>> chain;
  for (py::handle operation : operations) {
    if (py::isinstance<transforms::TensorOp>(operation)) {
      chain.push_back(operation.cast<std::shared_ptr<transforms::TensorOp>>());
    } else {
      chain.push_back(std::make_shared<PythonTensorOp>(py::reinterpret_borrow<py::object>(operation)));
    }
  }
  return chain;
}

}  // namespace headrace::bindings
