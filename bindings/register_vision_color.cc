// Colour and value image transforms (headrace._core.transforms): Normalize, Rescale,
// HWC2CHW, the Adjust* transforms, Posterize, Solarize, AutoContrast, Equalize, Invert and
// RandomColorAdjust. Argument checks that need Python types live in
// headrace/dataset/vision/color.py; the C++ Make() functions check the values again.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <utility>
#include <vector>

#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/vision/color_adjust.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/normalize.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

template <typename T>
using TransformClass = py::class_<T, transforms::TensorOp, std::shared_ptr<T>>;

transforms::FactorRange Range(const std::pair<double, double>& range) {
  return transforms::FactorRange{range.first, range.second};
}

}  // namespace

void RegisterVisionColor(py::module_& m) {
  py::module_ transforms = m.attr("transforms");
  namespace t = headrace::transforms;

  TransformClass<t::Normalize>(transforms, "Normalize")
      .def(py::init([](std::vector<float> mean, std::vector<float> std, bool is_hwc) {
             return ValueOrThrow(t::Normalize::Make(std::move(mean), std::move(std), is_hwc));
           }),
           py::arg("mean"), py::arg("std"), py::arg("is_hwc") = true);
  TransformClass<t::Rescale>(transforms, "Rescale")
      .def(py::init<float, float>(), py::arg("rescale"), py::arg("shift"));
  TransformClass<t::HWC2CHW>(transforms, "HWC2CHW").def(py::init<>());

  TransformClass<t::AdjustBrightness>(transforms, "AdjustBrightness")
      .def(py::init([](double factor) { return ValueOrThrow(t::AdjustBrightness::Make(factor)); }),
           py::arg("brightness_factor"));
  TransformClass<t::AdjustContrast>(transforms, "AdjustContrast")
      .def(py::init([](double factor) { return ValueOrThrow(t::AdjustContrast::Make(factor)); }),
           py::arg("contrast_factor"));
  TransformClass<t::AdjustSaturation>(transforms, "AdjustSaturation")
      .def(py::init([](double factor) { return ValueOrThrow(t::AdjustSaturation::Make(factor)); }),
           py::arg("saturation_factor"));
  TransformClass<t::AdjustHue>(transforms, "AdjustHue")
      .def(py::init([](double factor) { return ValueOrThrow(t::AdjustHue::Make(factor)); }),
           py::arg("hue_factor"));
  TransformClass<t::AdjustSharpness>(transforms, "AdjustSharpness")
      .def(py::init([](double factor) { return ValueOrThrow(t::AdjustSharpness::Make(factor)); }),
           py::arg("sharpness_factor"));

  TransformClass<t::Posterize>(transforms, "Posterize")
      .def(py::init([](int bits) { return ValueOrThrow(t::Posterize::Make(bits)); }), py::arg("bits"));
  TransformClass<t::Solarize>(transforms, "Solarize")
      .def(py::init([](double low, double high) { return ValueOrThrow(t::Solarize::Make(low, high)); }),
           py::arg("threshold_min"), py::arg("threshold_max"));
  TransformClass<t::AutoContrast>(transforms, "AutoContrast")
      .def(py::init([](double cutoff, std::vector<int> ignore) {
             return ValueOrThrow(t::AutoContrast::Make(cutoff, std::move(ignore)));
           }),
           py::arg("cutoff") = 0.0, py::arg("ignore") = std::vector<int>{});
  TransformClass<t::Equalize>(transforms, "Equalize").def(py::init<>());
  TransformClass<t::Invert>(transforms, "Invert").def(py::init<>());

  TransformClass<t::RandomColorAdjust>(transforms, "RandomColorAdjust")
      .def(py::init([](std::pair<double, double> brightness, std::pair<double, double> contrast,
                       std::pair<double, double> saturation, std::pair<double, double> hue) {
             return ValueOrThrow(t::RandomColorAdjust::Make(Range(brightness), Range(contrast),
                                                            Range(saturation), Range(hue)));
           }),
           py::arg("brightness"), py::arg("contrast"), py::arg("saturation"), py::arg("hue"));
}

}  // namespace headrace::bindings
