// Colour and value image transforms (headrace._core.transforms): Normalize, NormalizePad,
// Rescale, HWC2CHW, the Adjust* transforms, Posterize, Solarize, AutoContrast, Equalize,
// Invert, RandomColorAdjust, the colour-space conversions, GaussianBlur, ToTensor,
// LinearTransformation and the random colour transforms (RandomImageTransform). Argument
// checks that need Python types live in
// headrace/dataset/vision/color.py; the C++ Make() functions check the values again.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <utility>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/vision/color_adjust.h"
#include "headrace/transforms/vision/color_space.h"
#include "headrace/transforms/vision/enhance.h"
#include "headrace/transforms/vision/gaussian_blur.h"
#include "headrace/transforms/vision/normalize.h"
#include "headrace/transforms/vision/random_color.h"
#include "headrace/transforms/vision/value_transforms.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

template <typename T>
using TransformClass = py::class_<T, transforms::TensorOp, std::shared_ptr<T>>;

transforms::FactorRange Range(const std::pair<double, double>& range) {
  return transforms::FactorRange{range.first, range.second};
}

// The transforms of random_color.h, color_space.h, gaussian_blur.h and value_transforms.h.
void RegisterMindSporeColor(py::module_& transforms) {
  namespace t = headrace::transforms;
  TransformClass<t::NormalizePad>(transforms, "NormalizePad")
      .def(py::init([](std::vector<float> mean, std::vector<float> std, const std::string& dtype, bool is_hwc) {
             return ValueOrThrow(t::NormalizePad::Make(std::move(mean), std::move(std),
                                                       ValueOrThrow(DataTypeFromName(dtype)), is_hwc));
           }),
           py::arg("mean"), py::arg("std"), py::arg("dtype"), py::arg("is_hwc"));
  TransformClass<t::ConvertColor>(transforms, "ConvertColor")
      .def(py::init([](const std::string& mode) { return ValueOrThrow(t::ConvertColor::Make(mode)); }),
           py::arg("convert_mode"));
  TransformClass<t::Grayscale>(transforms, "Grayscale")
      .def(py::init([](int channels) { return ValueOrThrow(t::Grayscale::Make(channels)); }),
           py::arg("num_output_channels"));
  TransformClass<t::HsvConversion>(transforms, "HsvConversion")
      .def(py::init<bool, bool>(), py::arg("to_hsv"), py::arg("is_hwc"));
  TransformClass<t::GaussianBlur>(transforms, "GaussianBlur")
      .def(py::init([](int kernel_x, int kernel_y, double sigma_x, double sigma_y) {
             return ValueOrThrow(t::GaussianBlur::Make(kernel_x, kernel_y, sigma_x, sigma_y));
           }),
           py::arg("kernel_x"), py::arg("kernel_y"), py::arg("sigma_x"), py::arg("sigma_y"));
  TransformClass<t::AdjustGamma>(transforms, "AdjustGamma")
      .def(py::init([](double gamma, double gain) { return ValueOrThrow(t::AdjustGamma::Make(gamma, gain)); }),
           py::arg("gamma"), py::arg("gain"));
  TransformClass<t::ToTensor>(transforms, "ToTensor")
      .def(py::init([](const std::string& output_type) {
             return ValueOrThrow(t::ToTensor::Make(ValueOrThrow(DataTypeFromName(output_type))));
           }),
           py::arg("output_type"));
  TransformClass<t::LinearTransformation>(transforms, "LinearTransformation")
      .def(py::init([](std::vector<double> matrix, std::vector<double> mean, bool float32_parameters) {
             return ValueOrThrow(
                 t::LinearTransformation::Make(std::move(matrix), std::move(mean), float32_parameters));
           }),
           py::arg("transformation_matrix"), py::arg("mean_vector"), py::arg("float32_parameters"));

  // One class for every random colour transform; the factories below make them.
  TransformClass<t::RandomImageTransform>(transforms, "RandomImageTransform")
      .def("draw", &t::RandomImageTransform::Draw, py::arg("seed"),
           "The parameters a row with this seed gets; empty: the row is left as it is.")
      .def(
          "apply",
          [](const t::RandomImageTransform& op, const py::object& image, std::vector<double> parameters) {
            TensorPtr input = TensorFromNumpy(image);
            TensorPtr output = ValueOrThrow(WithoutGil([&] { return op.Apply(input, parameters); }));
            return TensorToNumpy(output);
          },
          py::arg("image"), py::arg("parameters"), "The deterministic transform at `parameters` (from draw).");
  transforms.def("random_adjust_sharpness", [](double degree, double prob) {
    return ValueOrThrow(t::MakeRandomAdjustSharpness(degree, prob));
  }, py::arg("degree"), py::arg("prob"));
  transforms.def("random_auto_contrast", [](double cutoff, std::vector<int> ignore, double prob) {
    return ValueOrThrow(t::MakeRandomAutoContrast(cutoff, std::move(ignore), prob));
  }, py::arg("cutoff"), py::arg("ignore"), py::arg("prob"));
  transforms.def("random_color", [](double low, double high) { return ValueOrThrow(t::MakeRandomColor(low, high)); },
                 py::arg("low"), py::arg("high"));
  transforms.def("random_equalize", [](double prob) { return ValueOrThrow(t::MakeRandomEqualize(prob)); },
                 py::arg("prob"));
  transforms.def("random_grayscale", [](double prob) { return ValueOrThrow(t::MakeRandomGrayscale(prob)); },
                 py::arg("prob"));
  transforms.def("random_invert", [](double prob) { return ValueOrThrow(t::MakeRandomInvert(prob)); },
                 py::arg("prob"));
  transforms.def("random_lighting", [](double alpha) { return ValueOrThrow(t::MakeRandomLighting(alpha)); },
                 py::arg("alpha"));
  transforms.def("random_posterize", [](int low, int high) { return ValueOrThrow(t::MakeRandomPosterize(low, high)); },
                 py::arg("low"), py::arg("high"));
  transforms.def("random_sharpness",
                 [](double low, double high) { return ValueOrThrow(t::MakeRandomSharpness(low, high)); },
                 py::arg("low"), py::arg("high"));
  transforms.def("random_solarize", [](int low, int high) { return ValueOrThrow(t::MakeRandomSolarize(low, high)); },
                 py::arg("low"), py::arg("high"));
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

  // `arithmetic`: "mindspore" (MindSpore's kernels) or "pillow" (Pillow's ImageEnhance and
  // ImageOps); headrace.dataset.vision passes config.get_image_resampling().
  auto arithmetic = [](const std::string& arithmetic_name) { return ValueOrThrow(t::ParseColorArithmetic(arithmetic_name)); };
  TransformClass<t::AdjustBrightness>(transforms, "AdjustBrightness")
      .def(py::init([arithmetic](double factor, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AdjustBrightness::Make(factor, arithmetic(arithmetic_name)));
           }),
           py::arg("brightness_factor"), py::arg("arithmetic") = "mindspore");
  TransformClass<t::AdjustContrast>(transforms, "AdjustContrast")
      .def(py::init([arithmetic](double factor, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AdjustContrast::Make(factor, arithmetic(arithmetic_name)));
           }),
           py::arg("contrast_factor"), py::arg("arithmetic") = "mindspore");
  TransformClass<t::AdjustSaturation>(transforms, "AdjustSaturation")
      .def(py::init([arithmetic](double factor, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AdjustSaturation::Make(factor, arithmetic(arithmetic_name)));
           }),
           py::arg("saturation_factor"), py::arg("arithmetic") = "mindspore");
  TransformClass<t::AdjustHue>(transforms, "AdjustHue")
      .def(py::init([arithmetic](double factor, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AdjustHue::Make(factor, arithmetic(arithmetic_name)));
           }),
           py::arg("hue_factor"), py::arg("arithmetic") = "mindspore");
  TransformClass<t::AdjustSharpness>(transforms, "AdjustSharpness")
      .def(py::init([arithmetic](double factor, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AdjustSharpness::Make(factor, arithmetic(arithmetic_name)));
           }),
           py::arg("sharpness_factor"), py::arg("arithmetic") = "mindspore");

  TransformClass<t::Posterize>(transforms, "Posterize")
      .def(py::init([](int bits) { return ValueOrThrow(t::Posterize::Make(bits)); }), py::arg("bits"));
  TransformClass<t::Solarize>(transforms, "Solarize")
      .def(py::init([](double low, double high) { return ValueOrThrow(t::Solarize::Make(low, high)); }),
           py::arg("threshold_min"), py::arg("threshold_max"));
  TransformClass<t::AutoContrast>(transforms, "AutoContrast")
      .def(py::init([arithmetic](double cutoff, std::vector<int> ignore, const std::string& arithmetic_name) {
             return ValueOrThrow(t::AutoContrast::Make(cutoff, std::move(ignore), arithmetic(arithmetic_name)));
           }),
           py::arg("cutoff") = 0.0, py::arg("ignore") = std::vector<int>{}, py::arg("arithmetic") = "mindspore");
  TransformClass<t::Equalize>(transforms, "Equalize")
      .def(py::init([arithmetic](const std::string& arithmetic_name) {
             return std::make_shared<t::Equalize>(arithmetic(arithmetic_name));
           }),
           py::arg("arithmetic") = "mindspore");
  TransformClass<t::Invert>(transforms, "Invert").def(py::init<>());

  TransformClass<t::RandomColorAdjust>(transforms, "RandomColorAdjust")
      .def(py::init([arithmetic](std::pair<double, double> brightness, std::pair<double, double> contrast,
                                 std::pair<double, double> saturation, std::pair<double, double> hue,
                                 const std::string& arithmetic_name) {
             return ValueOrThrow(t::RandomColorAdjust::Make(Range(brightness), Range(contrast),
                                                            Range(saturation), Range(hue), arithmetic(arithmetic_name)));
           }),
           py::arg("brightness"), py::arg("contrast"), py::arg("saturation"), py::arg("hue"),
           py::arg("arithmetic") = "mindspore");

  RegisterMindSporeColor(transforms);
}

}  // namespace headrace::bindings
