// headrace.Tensor: the Python view of a C++ Tensor.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/numpy_conversion.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/core/tensor.h"

namespace py = pybind11;

namespace headrace::bindings {

void RegisterTensor(py::module_& m) {
  py::class_<Tensor, TensorPtr>(m, "Tensor", R"doc(
An n-dimensional array of one dtype, the unit of data in a row.

Tensor(array) wraps a NumPy array (or anything numpy.asarray accepts) without copying
when it is C-contiguous, aligned and native-endian; numpy() and numpy.asarray(tensor)
view the tensor's memory without copying.)doc")
      .def(py::init([](const py::object& array) { return TensorFromNumpy(array, Borrow::kShareWrites); }),
           py::arg("array"))
      .def_property_readonly("dtype",
                             [](const Tensor& t) { return std::string(DataTypeName(t.dtype())); })
      .def_property_readonly("shape",
                             [](const Tensor& t) { return py::tuple(py::cast(t.shape().ToVector())); })
      .def_property_readonly("nbytes", &Tensor::nbytes)
      .def_property_readonly("data_ptr",
                             [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); },
                             "Address of the first byte of the tensor's buffer.")
      .def("numpy", &TensorToNumpy, "A NumPy array viewing this tensor (copied for strings).")
      .def(
          "__array__",
          [](const TensorPtr& t, py::object dtype, py::object copy) -> py::object {
            // NumPy 2's protocol: copy=False must fail rather than copy.
            const bool never_copy = !copy.is_none() && !copy.cast<bool>();
            if (never_copy && !IsFixedWidth(t->dtype())) {
              throw py::value_error("a " + std::string(DataTypeName(t->dtype())) +
                                    " tensor cannot be viewed as a NumPy array without a copy");
            }
            py::object out = TensorToNumpy(t);
            if (!dtype.is_none() && !py::dtype(out.attr("dtype")).equal(py::dtype::from_args(dtype))) {
              if (never_copy) {
                throw py::value_error("converting a " + std::string(DataTypeName(t->dtype())) +
                                      " tensor to " + std::string(py::str(dtype)) +
                                      " needs a copy");
              }
              out = out.attr("astype")(dtype);
            }
            if (!copy.is_none() && copy.cast<bool>()) out = out.attr("copy")();
            return out;
          },
          py::arg("dtype") = py::none(), py::arg("copy") = py::none())
      .def("__len__",
           [](const Tensor& t) {
             if (t.rank() == 0) throw py::type_error("len() of a 0-d tensor");
             return t.shape()[0];
           })
      .def("__repr__", &Tensor::ToString);
}

}  // namespace headrace::bindings
