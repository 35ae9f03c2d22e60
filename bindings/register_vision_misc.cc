// The image transforms that are neither warps nor colour (headrace._core.transforms):
// erasing (CutOut, Erase, RandomErasing), several outputs or a fixed size (TenCrop, which
// is FiveCrop without flips, SlicePatches, PadToSize), batch mixing (MixUpBatch,
// CutMixBatch, MixUp) and random policies (RandomSelectSubpolicy, UniformAugment,
// TrivialAugmentWide). Argument checks that need Python types live in
// headrace/dataset/vision/{erase,patches,mix,policies}.py; Make() checks the values again.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/python_tensor_op.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/vision/erase.h"
#include "headrace/transforms/vision/mix.h"
#include "headrace/transforms/vision/patches.h"
#include "headrace/transforms/vision/policies.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

template <typename T>
using Class = py::class_<T, transforms::TensorOp, std::shared_ptr<T>>;

// A native transform as it is; any other callable runs as Python (needs the GIL).
transforms::TensorOpPtr ToTensorOp(py::handle operation) {
  if (py::isinstance<transforms::TensorOp>(operation)) return operation.cast<transforms::TensorOpPtr>();
  return std::make_shared<PythonTensorOp>(py::reinterpret_borrow<py::object>(operation));
}

template <typename Enum>
Enum FromName(const std::string& name, const char* argument,
              std::initializer_list<std::pair<const char*, Enum>> names) {
  for (const auto& [text, value] : names) {
    if (name == text) return value;
  }
  ThrowIfError(Status::InvalidArgument(std::string(argument) + ": unknown value '" + name + "'"));
  return names.begin()->second;
}

// The AugmentOp named `name` (AugmentOpName's names).
Result<transforms::AugmentOp> ParseAugmentOp(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(transforms::AugmentOp::kInvert); ++i) {
    const auto op = static_cast<transforms::AugmentOp>(i);
    if (transforms::AugmentOpName(op) == name) return op;
  }
  return Status::InvalidArgument("unknown augmentation operation '" + name + "'");
}

void RegisterErasing(py::module_& t) {
  using namespace headrace::transforms;
  Class<CutOut>(t, "CutOut")
      .def(py::init([](int64_t length, int64_t num_patches, bool is_hwc) {
             return ValueOrThrow(CutOut::Make(length, num_patches, is_hwc));
           }),
           py::arg("length"), py::arg("num_patches"), py::arg("is_hwc"));
  Class<Erase>(t, "Erase")
      .def(py::init([](int64_t top, int64_t left, int64_t height, int64_t width, std::vector<double> value) {
             return ValueOrThrow(Erase::Make(top, left, height, width, std::move(value)));
           }),
           py::arg("top"), py::arg("left"), py::arg("height"), py::arg("width"), py::arg("value"));
  Class<RandomErasing>(t, "RandomErasing")
      .def(py::init([](double prob, std::array<double, 2> scale, std::array<double, 2> ratio,
                       std::vector<double> value, bool random_value, int64_t max_attempts) {
             RandomErasingParams params;
             params.prob = prob;
             params.scale_min = scale[0];
             params.scale_max = scale[1];
             params.ratio_min = ratio[0];
             params.ratio_max = ratio[1];
             params.value = std::move(value);
             params.random_value = random_value;
             params.max_attempts = max_attempts;
             return ValueOrThrow(RandomErasing::Make(std::move(params)));
           }),
           py::arg("prob"), py::arg("scale"), py::arg("ratio"), py::arg("value"), py::arg("random_value"),
           py::arg("max_attempts"));
}

void RegisterPatches(py::module_& t) {
  using namespace headrace::transforms;
  Class<TenCrop>(t, "TenCrop")
      .def(py::init([](int64_t height, int64_t width, bool with_flips, bool use_vertical_flip) {
             return ValueOrThrow(TenCrop::Make(height, width, with_flips, use_vertical_flip));
           }),
           py::arg("height"), py::arg("width"), py::arg("with_flips"), py::arg("use_vertical_flip"));
  Class<SlicePatches>(t, "SlicePatches")
      .def(py::init([](int64_t num_height, int64_t num_width, const std::string& slice_mode, int fill_value) {
             const SliceMode mode =
                 FromName<SliceMode>(slice_mode, "slice_mode", {{"pad", SliceMode::kPad}, {"drop", SliceMode::kDrop}});
             return ValueOrThrow(SlicePatches::Make(num_height, num_width, mode, fill_value));
           }),
           py::arg("num_height"), py::arg("num_width"), py::arg("slice_mode"), py::arg("fill_value"));
  Class<PadToSize>(t, "PadToSize")
      .def(py::init([](int64_t height, int64_t width, std::optional<std::array<int64_t, 2>> offset,
                       std::vector<uint8_t> fill, const std::string& padding_mode) {
             std::optional<std::pair<int64_t, int64_t>> top_left;
             if (offset) top_left = std::make_pair((*offset)[0], (*offset)[1]);
             return ValueOrThrow(PadToSize::Make(height, width, top_left, std::move(fill),
                                                 ValueOrThrow(ParseBorderMode(padding_mode))));
           }),
           py::arg("height"), py::arg("width"), py::arg("offset"), py::arg("fill"), py::arg("padding_mode"));
}

void RegisterMixing(py::module_& t) {
  using namespace headrace::transforms;
  Class<MixUpBatch>(t, "MixUpBatch")
      .def(py::init([](double alpha) { return ValueOrThrow(MixUpBatch::Make(alpha)); }), py::arg("alpha"));
  Class<CutMixBatch>(t, "CutMixBatch")
      .def(py::init([](const std::string& image_batch_format, double alpha, double prob) {
             const ImageBatchFormat format = FromName<ImageBatchFormat>(
                 image_batch_format, "image_batch_format",
                 {{"nhwc", ImageBatchFormat::kNHWC}, {"nchw", ImageBatchFormat::kNCHW}});
             return ValueOrThrow(CutMixBatch::Make(format, alpha, prob));
           }),
           py::arg("image_batch_format"), py::arg("alpha"), py::arg("prob"));
  Class<MixUp>(t, "MixUp")
      .def(py::init([](int64_t batch_size, double alpha, bool is_single) {
             return ValueOrThrow(MixUp::Make(batch_size, alpha, is_single));
           }),
           py::arg("batch_size"), py::arg("alpha"), py::arg("is_single"));
}

void RegisterPolicies(py::module_& t) {
  using namespace headrace::transforms;
  Class<RandomSelectSubpolicy>(t, "RandomSelectSubpolicy")
      .def(py::init([](const std::vector<std::vector<std::pair<py::object, double>>>& policy) {
             std::vector<SubPolicy> native;
             for (const auto& sub : policy) {
               SubPolicy steps;
               for (const auto& [op, prob] : sub) steps.push_back(PolicyStep{ToTensorOp(op), prob});
               native.push_back(std::move(steps));
             }
             return ValueOrThrow(RandomSelectSubpolicy::Make(std::move(native)));
           }),
           py::arg("policy"));
  Class<UniformAugment>(t, "UniformAugment")
      .def(py::init([](const std::vector<py::object>& ops, int64_t num_ops) {
             std::vector<TensorOpPtr> native;
             for (const py::object& op : ops) native.push_back(ToTensorOp(op));
             return ValueOrThrow(UniformAugment::Make(std::move(native), num_ops));
           }),
           py::arg("transforms"), py::arg("num_ops"));
  Class<TrivialAugmentWide>(t, "TrivialAugmentWide")
      .def(py::init([](int num_magnitude_bins, const std::string& interpolation, std::vector<uint8_t> fill) {
             AugmentStyle style{ValueOrThrow(ParseInterpolation(interpolation)), std::move(fill)};
             return ValueOrThrow(TrivialAugmentWide::Make(num_magnitude_bins, std::move(style)));
           }),
           py::arg("num_magnitude_bins"), py::arg("interpolation"), py::arg("fill"))
      .def(
          "draw",
          [](const TrivialAugmentWide& op, uint64_t seed) {
            const TrivialAugmentWide::Choice choice = op.Choose(seed);
            return std::make_pair(std::string(AugmentOpName(choice.op)), choice.magnitude);
          },
          py::arg("seed"), "The operation and signed magnitude a row with this seed gets.")
      .def(
          "apply",
          [](const TrivialAugmentWide& op, const py::object& image, const std::string& operation,
             double magnitude) {
            TensorPtr input = TensorFromNumpy(image);
            const AugmentOp augment = ValueOrThrow(ParseAugmentOp(operation));
            TensorPtr output = ValueOrThrow(WithoutGil([&] { return op.Apply(input, augment, magnitude); }));
            return TensorToNumpy(output);
          },
          py::arg("image"), py::arg("operation"), py::arg("magnitude"),
          "The operation (a name draw returns) at the magnitude, as a row gets it.");
}

}  // namespace

void RegisterVisionMisc(py::module_& m) {
  py::module_ transforms = m.attr("transforms");
  RegisterErasing(transforms);
  RegisterPatches(transforms);
  RegisterMixing(transforms);
  RegisterPolicies(transforms);
}

}  // namespace headrace::bindings
