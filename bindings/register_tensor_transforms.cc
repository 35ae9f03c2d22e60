// The tensor transforms of mindspore.dataset.transforms beyond TypeCast and OneHot: Mask,
// Fill, Duplicate, Concatenate, PadEnd, Slice, Unique, and RandomApply / RandomChoice /
// RandomOrder over lists of native or Python transforms. Added to headrace._core.transforms.
// Values (fill, constant, pad, prepend, append) come as NumPy arrays and are copied once
// into tensors that own their bytes, so that the transforms hold no Python object for them.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>

#include "bindings/numpy_conversion.h"
#include "bindings/python_tensor_op.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/concatenate.h"
#include "headrace/transforms/duplicate.h"
#include "headrace/transforms/fill.h"
#include "headrace/transforms/mask.h"
#include "headrace/transforms/pad_end.h"
#include "headrace/transforms/random_compose.h"
#include "headrace/transforms/slice.h"
#include "headrace/transforms/unique.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// An owned copy of `array` (None: null), so that the transform keeps no Python object.
TensorPtr OwnedTensor(const py::object& array) {
  if (array.is_none()) return nullptr;
  const TensorPtr borrowed = TensorFromNumpy(array);
  if (!IsFixedWidth(borrowed->dtype())) return borrowed;  // strings are always copied
  TensorPtr owned = ValueOrThrow(Tensor::Create(borrowed->dtype(), borrowed->shape()));
  std::copy(borrowed->data(), borrowed->data() + borrowed->nbytes(), owned->mutable_data());
  return owned;
}

transforms::Relational RelationalFromInt(int value) {
  if (value < 0 || value > static_cast<int>(transforms::Relational::kLessEqual)) {
    ThrowIfError(
        Status::InvalidArgument("Mask: operator must be a Relational, got " + std::to_string(value)));
  }
  return static_cast<transforms::Relational>(value);
}

template <typename Op>
using TransformClass = py::class_<Op, transforms::TensorOp, std::shared_ptr<Op>>;

}  // namespace

void RegisterTensorTransforms(py::module_& m) {
  py::module_ transforms = m.attr("transforms");
  TransformClass<transforms::Mask>(transforms, "Mask")
      .def(py::init([](int relation, const py::object& constant, const std::string& dtype) {
             return ValueOrThrow(transforms::Mask::Make(RelationalFromInt(relation), OwnedTensor(constant),
                                                        ValueOrThrow(DataTypeFromName(dtype))));
           }),
           py::arg("operator"), py::arg("constant"), py::arg("dtype"));
  TransformClass<transforms::Fill>(transforms, "Fill")
      .def(py::init([](const py::object& value) {
             return ValueOrThrow(transforms::Fill::Make(OwnedTensor(value)));
           }),
           py::arg("fill_value"));
  TransformClass<transforms::Duplicate>(transforms, "Duplicate").def(py::init<>());
  TransformClass<transforms::Concatenate>(transforms, "Concatenate")
      .def(py::init([](int64_t axis, const py::object& prepend, const py::object& append) {
             return ValueOrThrow(
                 transforms::Concatenate::Make(axis, OwnedTensor(prepend), OwnedTensor(append)));
           }),
           py::arg("axis"), py::arg("prepend"), py::arg("append"));
  TransformClass<transforms::PadEnd>(transforms, "PadEnd")
      .def(py::init([](std::vector<int64_t> shape, const py::object& value) {
             return ValueOrThrow(transforms::PadEnd::Make(std::move(shape), OwnedTensor(value)));
           }),
           py::arg("pad_shape"), py::arg("pad_value"));

  py::class_<transforms::SliceOption>(transforms, "SliceOption",
                                      "One dimension's selection for Slice (private).")
      .def_static("all", &transforms::SliceOption::All)
      .def_static("indices", &transforms::SliceOption::Indices, py::arg("indices"))
      .def_static("range", &transforms::SliceOption::Range, py::arg("start"), py::arg("stop"),
                  py::arg("step"));
  TransformClass<transforms::Slice>(transforms, "Slice")
      .def(py::init([](std::vector<transforms::SliceOption> options) {
             return ValueOrThrow(transforms::Slice::Make(std::move(options)));
           }),
           py::arg("options"));
  TransformClass<transforms::Unique>(transforms, "Unique").def(py::init<>());

  TransformClass<transforms::RandomApply>(transforms, "RandomApply")
      .def(py::init([](const py::list& operations, double prob) {
             return ValueOrThrow(transforms::RandomApply::Make(ToTensorOps(operations), prob));
           }),
           py::arg("transforms"), py::arg("prob"));
  TransformClass<transforms::RandomChoice>(transforms, "RandomChoice")
      .def(py::init([](const py::list& operations) {
             return ValueOrThrow(transforms::RandomChoice::Make(ToTensorOps(operations)));
           }),
           py::arg("transforms"));
  TransformClass<transforms::RandomOrder>(transforms, "RandomOrder")
      .def(py::init([](const py::list& operations) {
             return ValueOrThrow(transforms::RandomOrder::Make(ToTensorOps(operations)));
           }),
           py::arg("transforms"));
}

}  // namespace headrace::bindings
