#include "bindings/python_tensor_op.h"

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

std::string CallableName(const py::object& function) {
  for (const char* attribute : {"__qualname__", "__name__"}) {
    if (py::hasattr(function, attribute)) return py::str(function.attr(attribute));
  }
  return py::str(py::type::handle_of(function).attr("__name__"));
}

// A tuple is one column per item; anything else is one column.
engine::TensorList ResultToTensors(const py::object& result) {
  engine::TensorList out;
  if (py::isinstance<py::tuple>(result)) {
    for (py::handle item : result) out.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(item)));
  } else {
    out.push_back(TensorFromNumpy(result));
  }
  return out;
}

}  // namespace

PythonTensorOp::PythonTensorOp(py::object function)
    : function_(std::move(function)), name_(CallableName(function_)) {}

PythonTensorOp::~PythonTensorOp() {
  py::gil_scoped_acquire gil;
  function_ = py::object();
}

Status PythonTensorOp::Compute(engine::TensorList* columns) {
  py::gil_scoped_acquire gil;
  return ComputeHoldingGil(columns);
}

Status PythonTensorOp::ComputeBlock(std::vector<engine::TensorList>* rows) {
  py::gil_scoped_acquire gil;
  DrainDeferredDecrefs();
  for (engine::TensorList& columns : *rows) RETURN_IF_ERROR(ComputeHoldingGil(&columns));
  return Status::OK();
}

Status PythonTensorOp::ComputeHoldingGil(engine::TensorList* columns) {
  try {
    // A vectorcall with the arrays on the stack: no argument tuple per row.
    constexpr size_t kMaxStackArguments = 8;
    std::vector<py::object> arrays;
    arrays.reserve(columns->size());
    for (const TensorPtr& column : *columns) arrays.push_back(TensorToNumpy(column));
    PyObject* stack[kMaxStackArguments];
    std::vector<PyObject*> heap;
    PyObject** arguments = stack;
    if (arrays.size() > kMaxStackArguments) {
      heap.resize(arrays.size());
      arguments = heap.data();
    }
    for (size_t i = 0; i < arrays.size(); ++i) arguments[i] = arrays[i].ptr();
    PyObject* result = PyObject_Vectorcall(function_.ptr(), arguments, arrays.size(), nullptr);
    if (result == nullptr) throw py::error_already_set();
    *columns = ResultToTensors(py::reinterpret_steal<py::object>(result));
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "map function '" + name_ + "'");
  }
}

}  // namespace headrace::bindings
