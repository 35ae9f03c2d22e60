// Native transforms (module headrace._core.transforms), usable in map() and callable on
// NumPy arrays. They subclass headrace._core.engine.TensorOp (register_engine.cc).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/one_hot.h"
#include "headrace/transforms/type_cast.h"
#include "headrace/transforms/vision/auto_augment.h"
#include "headrace/transforms/vision/decode.h"

namespace py = pybind11;

namespace headrace::bindings {

void RegisterTransforms(py::module_& m) {
  py::module_ transforms = m.def_submodule("transforms", "Native transforms (private).");
  py::class_<transforms::TypeCast, transforms::TensorOp, std::shared_ptr<transforms::TypeCast>>(
      transforms, "TypeCast")
      .def(py::init([](const std::string& data_type) {
             return ValueOrThrow(transforms::TypeCast::Make(ValueOrThrow(DataTypeFromName(data_type))));
           }),
           py::arg("data_type"));
  py::class_<transforms::Decode, transforms::TensorOp, std::shared_ptr<transforms::Decode>>(
      transforms, "Decode")
      .def(py::init<>());
  py::class_<transforms::OneHot, transforms::TensorOp, std::shared_ptr<transforms::OneHot>>(
      transforms, "OneHot")
      .def(py::init([](int64_t num_classes, double smoothing_rate) {
             return ValueOrThrow(transforms::OneHot::Make(num_classes, smoothing_rate));
           }),
           py::arg("num_classes"), py::arg("smoothing_rate"));

  // AutoAugment and RandAugment take the interpolation by name ("nearest", ...) and the
  // fill as one value or one per channel.
  auto style = [](const std::string& interpolation, std::vector<uint8_t> fill) {
    return transforms::AugmentStyle{ValueOrThrow(transforms::ParseInterpolation(interpolation)),
                                    std::move(fill)};
  };
  py::class_<transforms::AutoAugment, transforms::TensorOp, std::shared_ptr<transforms::AutoAugment>>(
      transforms, "AutoAugment")
      .def(py::init([style](const std::string& policy, const std::string& interpolation,
                            std::vector<uint8_t> fill) {
             return ValueOrThrow(transforms::AutoAugment::Make(policy, style(interpolation, std::move(fill))));
           }),
           py::arg("policy"), py::arg("interpolation"), py::arg("fill"));
  py::class_<transforms::RandAugment, transforms::TensorOp, std::shared_ptr<transforms::RandAugment>>(
      transforms, "RandAugment")
      .def(py::init([style](int num_ops, int magnitude, int num_magnitude_bins,
                            const std::string& interpolation, std::vector<uint8_t> fill) {
             return ValueOrThrow(transforms::RandAugment::Make(num_ops, magnitude, num_magnitude_bins,
                                                               style(interpolation, std::move(fill))));
           }),
           py::arg("num_ops"), py::arg("magnitude"), py::arg("num_magnitude_bins"),
           py::arg("interpolation"), py::arg("fill"));
}

}  // namespace headrace::bindings
