// Geometric image transforms, added to headrace._core.transforms. The Python facade
// (headrace/dataset/vision/geometry.py) validates and normalises the arguments; these
// constructors take them in one plain form (sizes as (height, width), padding as
// (left, top, right, bottom), enums as their string values, fills as lists of 0-255).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/vision/affine.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/decode_random_resized_crop.h"
#include "headrace/transforms/vision/flip.h"
#include "headrace/transforms/vision/opencv_warp.h"
#include "headrace/transforms/vision/pad.h"
#include "headrace/transforms/vision/perspective.h"
#include "headrace/transforms/vision/resize.h"
#include "headrace/transforms/vision/rotate.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using Fill = std::vector<uint8_t>;
using LTRB = std::array<int64_t, 4>;

transforms::Interpolation Interp(const std::string& name) {
  return ValueOrThrow(transforms::ParseInterpolation(name));
}

transforms::Padding ToPadding(const LTRB& p) { return transforms::Padding{p[0], p[1], p[2], p[3]}; }

transforms::RotateOptions MakeRotateOptions(const std::string& resample, bool expand,
                                            std::optional<std::array<double, 2>> center, Fill fill) {
  return transforms::RotateOptions{Interp(resample), expand, center, std::move(fill)};
}

transforms::RandomResizedCropParams MakeRandomResizedCropParams(int64_t height, int64_t width,
                                                                std::array<double, 2> scale,
                                                                std::array<double, 2> ratio,
                                                                const std::string& interpolation,
                                                                int64_t max_attempts, bool crop_first) {
  transforms::RandomResizedCropParams params;
  params.height = height;
  params.width = width;
  params.scale_min = scale[0];
  params.scale_max = scale[1];
  params.ratio_min = ratio[0];
  params.ratio_max = ratio[1];
  params.interpolation = Interp(interpolation);
  params.max_attempts = max_attempts;
  params.crop_first = crop_first;
  return params;
}

using Points = std::array<std::array<double, 2>, 4>;  // four (x, y), as transforms::Quad

template <typename T>
using Class = py::class_<T, transforms::TensorOp, std::shared_ptr<T>>;

// The layout of an array for the kernel functions below, or InvalidArgumentError.
transforms::ImageLayout LayoutOf(const char* function, const TensorPtr& image) {
  return ValueOrThrow(transforms::CheckImage(function, *image));
}

}  // namespace

void RegisterVisionGeometry(py::module_& m) {
  py::module_ t = m.attr("transforms");
  using namespace transforms;  // NOLINT: the class names below are all from there

  Class<Resize>(t, "Resize")
      .def(py::init([](const std::vector<int64_t>& size, const std::string& interpolation) {
             if (size.size() == 1) return ValueOrThrow(Resize::KeepAspect(size[0], Interp(interpolation)));
             if (size.size() != 2) ThrowIfError(Status::InvalidArgument("Resize: size must have 1 or 2 values"));
             return ValueOrThrow(Resize::ToSize(size[0], size[1], Interp(interpolation)));
           }),
           py::arg("size"), py::arg("interpolation"));
  Class<Crop>(t, "Crop").def(
      py::init([](int64_t top, int64_t left, int64_t height, int64_t width) {
        return ValueOrThrow(Crop::Make(CropWindow{top, left, height, width}));
      }),
      py::arg("top"), py::arg("left"), py::arg("height"), py::arg("width"));
  Class<CenterCrop>(t, "CenterCrop")
      .def(py::init([](int64_t height, int64_t width, bool torchvision_offsets) {
             return ValueOrThrow(CenterCrop::Make(
                 height, width, torchvision_offsets ? CenterOffsets::kTorchvision : CenterOffsets::kMindSpore));
           }),
           py::arg("height"), py::arg("width"), py::arg("torchvision_offsets") = false);
  Class<RandomCrop>(t, "RandomCrop")
      .def(py::init([](int64_t height, int64_t width, const LTRB& padding, bool pad_if_needed, Fill fill,
                       const std::string& padding_mode) {
             return ValueOrThrow(RandomCrop::Make(height, width, ToPadding(padding), pad_if_needed,
                                                  std::move(fill), ValueOrThrow(ParseBorderMode(padding_mode))));
           }),
           py::arg("height"), py::arg("width"), py::arg("padding"), py::arg("pad_if_needed"),
           py::arg("fill"), py::arg("padding_mode"));
  Class<RandomResizedCrop>(t, "RandomResizedCrop")
      .def(py::init([](int64_t height, int64_t width, std::array<double, 2> scale, std::array<double, 2> ratio,
                       const std::string& interpolation, int64_t max_attempts, bool crop_first) {
             return ValueOrThrow(RandomResizedCrop::Make(
                 MakeRandomResizedCropParams(height, width, scale, ratio, interpolation, max_attempts, crop_first)));
           }),
           py::arg("height"), py::arg("width"), py::arg("scale"), py::arg("ratio"),
           py::arg("interpolation"), py::arg("max_attempts"), py::arg("crop_first"));

  Class<ResizedCrop>(t, "ResizedCrop")
      .def(py::init([](int64_t top, int64_t left, int64_t height, int64_t width, std::array<int64_t, 2> size,
                       const std::string& interpolation, bool crop_first) {
             return ValueOrThrow(ResizedCrop::Make(CropWindow{top, left, height, width}, size[0], size[1],
                                                   Interp(interpolation), crop_first));
           }),
           py::arg("top"), py::arg("left"), py::arg("height"), py::arg("width"), py::arg("size"),
           py::arg("interpolation"), py::arg("crop_first"));
  Class<RandomResize>(t, "RandomResize")
      .def(py::init([](const std::vector<int64_t>& size, const std::vector<std::string>& interpolations) {
             std::vector<Interpolation> kernels;
             for (const std::string& name : interpolations) kernels.push_back(Interp(name));
             if (size.size() == 1) return ValueOrThrow(RandomResize::Make(size[0], size[0], true, std::move(kernels)));
             if (size.size() != 2) ThrowIfError(Status::InvalidArgument("RandomResize: size must have 1 or 2 values"));
             return ValueOrThrow(RandomResize::Make(size[0], size[1], false, std::move(kernels)));
           }),
           py::arg("size"), py::arg("interpolations"));
  Class<DecodeRandomResizedCrop>(t, "RandomCropDecodeResize")
      .def(py::init([](int64_t height, int64_t width, std::array<double, 2> scale, std::array<double, 2> ratio,
                       const std::string& interpolation, int64_t max_attempts, bool crop_first) {
             return ValueOrThrow(DecodeRandomResizedCrop::MakeRandomCropDecodeResize(
                 MakeRandomResizedCropParams(height, width, scale, ratio, interpolation, max_attempts, crop_first)));
           }),
           py::arg("height"), py::arg("width"), py::arg("scale"), py::arg("ratio"), py::arg("interpolation"),
           py::arg("max_attempts"), py::arg("crop_first"));

  Class<HorizontalFlip>(t, "HorizontalFlip").def(py::init<>());
  Class<VerticalFlip>(t, "VerticalFlip").def(py::init<>());
  Class<RandomHorizontalFlip>(t, "RandomHorizontalFlip")
      .def(py::init([](double prob) { return ValueOrThrow(RandomHorizontalFlip::Make(prob)); }), py::arg("prob"));
  Class<RandomVerticalFlip>(t, "RandomVerticalFlip")
      .def(py::init([](double prob) { return ValueOrThrow(RandomVerticalFlip::Make(prob)); }), py::arg("prob"));

  Class<Pad>(t, "Pad").def(
      py::init([](const LTRB& padding, Fill fill, const std::string& padding_mode) {
        return ValueOrThrow(Pad::Make(ToPadding(padding), std::move(fill), ValueOrThrow(ParseBorderMode(padding_mode))));
      }),
      py::arg("padding"), py::arg("fill"), py::arg("padding_mode"));

  Class<Rotate>(t, "Rotate").def(
      py::init([](double degrees, const std::string& resample, bool expand,
                  std::optional<std::array<double, 2>> center, Fill fill) {
        return std::make_shared<Rotate>(degrees, MakeRotateOptions(resample, expand, center, std::move(fill)));
      }),
      py::arg("degrees"), py::arg("resample"), py::arg("expand"), py::arg("center"), py::arg("fill"));
  Class<RandomRotation>(t, "RandomRotation")
      .def(py::init([](double min_degrees, double max_degrees, const std::string& resample, bool expand,
                       std::optional<std::array<double, 2>> center, Fill fill) {
             return ValueOrThrow(RandomRotation::Make(
                 min_degrees, max_degrees, MakeRotateOptions(resample, expand, center, std::move(fill))));
           }),
           py::arg("min_degrees"), py::arg("max_degrees"), py::arg("resample"), py::arg("expand"),
           py::arg("center"), py::arg("fill"));
  Class<Affine>(t, "Affine").def(
      py::init([](double degrees, std::array<double, 2> translate, double scale, std::array<double, 2> shear,
                  const std::string& resample, Fill fill) {
        AffineParams params{degrees, translate[0], translate[1], scale, shear[0], shear[1]};
        return ValueOrThrow(Affine::Make(params, Interp(resample), std::move(fill)));
      }),
      py::arg("degrees"), py::arg("translate"), py::arg("scale"), py::arg("shear"), py::arg("resample"),
      py::arg("fill"));

  // MindSpore's warps (OpenCV's kernels, opencv_warp.h).
  Class<RandomAffine>(t, "RandomAffine")
      .def(py::init([](std::array<double, 2> degrees, std::array<double, 4> translate, std::array<double, 2> scale,
                       std::array<double, 4> shear, const std::string& resample, Fill fill) {
             RandomAffineRanges r;
             r.degrees_min = degrees[0];
             r.degrees_max = degrees[1];
             r.translate_x_min = translate[0];
             r.translate_x_max = translate[1];
             r.translate_y_min = translate[2];
             r.translate_y_max = translate[3];
             r.scale_min = scale[0];
             r.scale_max = scale[1];
             r.shear_x_min = shear[0];
             r.shear_x_max = shear[1];
             r.shear_y_min = shear[2];
             r.shear_y_max = shear[3];
             return ValueOrThrow(RandomAffine::Make(r, Interp(resample), std::move(fill)));
           }),
           py::arg("degrees"), py::arg("translate"), py::arg("scale"), py::arg("shear"), py::arg("resample"),
           py::arg("fill"));
  Class<Perspective>(t, "Perspective")
      .def(py::init([](const Points& start, const Points& end, const std::string& interpolation) {
             return ValueOrThrow(Perspective::Make(start, end, Interp(interpolation)));
           }),
           py::arg("start_points"), py::arg("end_points"), py::arg("interpolation"));
  Class<RandomPerspective>(t, "RandomPerspective")
      .def(py::init([](double distortion_scale, double prob, const std::string& interpolation) {
             return ValueOrThrow(RandomPerspective::Make(distortion_scale, prob, Interp(interpolation)));
           }),
           py::arg("distortion_scale"), py::arg("prob"), py::arg("interpolation"));
  t.def(
      "opencv_warp_affine",
      [](const py::object& array, std::array<double, 6> matrix, int64_t height, int64_t width,
         const std::string& interpolation, Fill fill) {
        TensorPtr image = TensorFromNumpy(array);
        const ImageLayout layout = LayoutOf("opencv_warp_affine", image);
        const Interpolation interp = Interp(interpolation);
        TensorPtr out = ValueOrThrow(WithoutGil(
            [&] { return OpenCvWarpAffine(*image, layout, matrix, height, width, interp, fill); }));
        return TensorToNumpy(out);
      },
      py::arg("image"), py::arg("matrix"), py::arg("height"), py::arg("width"), py::arg("interpolation"),
      py::arg("fill"), "cv::warpAffine(image, matrix, (width, height), interpolation, BORDER_CONSTANT, fill).");
  t.def(
      "opencv_warp_perspective",
      [](const py::object& array, std::array<double, 9> matrix, int64_t height, int64_t width,
         const std::string& interpolation, Fill fill) {
        TensorPtr image = TensorFromNumpy(array);
        const ImageLayout layout = LayoutOf("opencv_warp_perspective", image);
        const Interpolation interp = Interp(interpolation);
        TensorPtr out = ValueOrThrow(WithoutGil(
            [&] { return OpenCvWarpPerspective(*image, layout, matrix, height, width, interp, fill); }));
        return TensorToNumpy(out);
      },
      py::arg("image"), py::arg("matrix"), py::arg("height"), py::arg("width"), py::arg("interpolation"),
      py::arg("fill"), "cv::warpPerspective(image, matrix, (width, height), interpolation, BORDER_CONSTANT, fill).");
  t.def(
      "perspective_transform",
      [](const Points& start, const Points& end) { return ValueOrThrow(PerspectiveTransform(start, end)); },
      py::arg("start_points"), py::arg("end_points"), "cv::getPerspectiveTransform(start_points, end_points).");
  t.def(
      "mindspore_affine_matrix",
      [](int64_t width, int64_t height, double angle, std::array<double, 2> translate, double scale,
         std::array<double, 2> shear) {
        return MindSporeAffineMatrix(width, height,
                                     AffineParams{angle, translate[0], translate[1], scale, shear[0], shear[1]});
      },
      py::arg("width"), py::arg("height"), py::arg("angle"), py::arg("translate"), py::arg("scale"),
      py::arg("shear"), "The forward matrix MindSpore's Affine gives cv::warpAffine (translate in pixels).");

  // The kernels themselves, for tests and for Python code that needs one call.
  t.def(
      "resize_region",
      [](const py::object& array, std::array<double, 4> box, int64_t height, int64_t width,
         const std::string& interpolation) {
        TensorPtr image = TensorFromNumpy(array);
        const ImageLayout layout = LayoutOf("resize_region", image);
        const Interpolation interp = Interp(interpolation);
        TensorPtr out = ValueOrThrow(WithoutGil([&] {
          return ResizeRegion(*image, layout, SourceBox{box[0], box[1], box[2], box[3]}, height, width, interp);
        }));
        return TensorToNumpy(out);
      },
      py::arg("image"), py::arg("box"), py::arg("height"), py::arg("width"), py::arg("interpolation"),
      "The box (x0, y0, x1, y1) of an HWC or HW array resized: Pillow's image.resize((width, height), "
      "interpolation, box=box) for the pil_* kernels, OpenCV's cv::resize of the crop (whole pixels) for the others.");
  t.def(
      "warp_affine",
      [](const py::object& array, std::array<double, 6> inverse, int64_t height, int64_t width,
         const std::string& interpolation, Fill fill) {
        TensorPtr image = TensorFromNumpy(array);
        const ImageLayout layout = LayoutOf("warp_affine", image);
        const Interpolation interp = Interp(interpolation);
        TensorPtr out = ValueOrThrow(WithoutGil(
            [&] { return WarpAffine(*image, layout, inverse, height, width, interp, fill); }));
        return TensorToNumpy(out);
      },
      py::arg("image"), py::arg("inverse"), py::arg("height"), py::arg("width"), py::arg("interpolation"),
      py::arg("fill"),
      "Pillow's image.transform((width, height), AFFINE, inverse, interpolation, fillcolor=fill).");
  t.def(
      "inverse_affine_matrix",
      [](double center_x, double center_y, double angle, std::array<double, 2> translate, double scale,
         std::array<double, 2> shear) {
        return InverseAffineMatrix(center_x, center_y,
                                   AffineParams{angle, translate[0], translate[1], scale, shear[0], shear[1]});
      },
      py::arg("center_x"), py::arg("center_y"), py::arg("angle"), py::arg("translate"), py::arg("scale"),
      py::arg("shear"), "torchvision's _get_inverse_affine_matrix.");
}

}  // namespace headrace::bindings
