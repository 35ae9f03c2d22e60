// The detection transforms (the *WithBBox family and BoundingBoxAugment), added to
// headrace._core.transforms. Each wraps a plain transform made by the Python facade
// (headrace/dataset/vision/boxes.py), which validated its arguments.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/transforms/vision/bounding_box_augment.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/resize.h"
#include "headrace/transforms/vision/with_bbox.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

template <typename T>
using Class = py::class_<T, transforms::TensorOp, std::shared_ptr<T>>;

// The wrapped transform, or InvalidArgumentError for None.
template <typename T>
std::shared_ptr<T> Required(const char* transform, std::shared_ptr<T> wrapped) {
  if (wrapped == nullptr) ThrowIfError(Status::InvalidArgument(std::string(transform) + ": the wrapped transform is None"));
  return wrapped;
}

}  // namespace

void RegisterVisionBoxes(py::module_& m) {
  py::module_ t = m.attr("transforms");
  using namespace transforms;  // NOLINT: the class names below are all from there

  Class<ResizeWithBBox>(t, "ResizeWithBBox")
      .def(py::init([](std::shared_ptr<Resize> resize) {
             return std::make_shared<ResizeWithBBox>("ResizeWithBBox", Required("ResizeWithBBox", std::move(resize)));
           }),
           py::arg("resize"))
      .def(py::init([](std::shared_ptr<RandomResize> resize) {
             return std::make_shared<ResizeWithBBox>("RandomResizeWithBBox",
                                                     Required("RandomResizeWithBBox", std::move(resize)));
           }),
           py::arg("resize"));
  Class<RandomFlipWithBBox>(t, "RandomFlipWithBBox")
      .def(py::init([](double prob, bool horizontal) {
             return ValueOrThrow(RandomFlipWithBBox::Make(prob, horizontal));
           }),
           py::arg("prob"), py::arg("horizontal"));
  Class<RandomCropWithBBox>(t, "RandomCropWithBBox")
      .def(py::init([](std::shared_ptr<RandomCrop> crop) {
             return std::make_shared<RandomCropWithBBox>(Required("RandomCropWithBBox", std::move(crop)));
           }),
           py::arg("crop"));
  Class<RandomResizedCropWithBBox>(t, "RandomResizedCropWithBBox")
      .def(py::init([](std::shared_ptr<RandomResizedCrop> crop) {
             return std::make_shared<RandomResizedCropWithBBox>(Required("RandomResizedCropWithBBox", std::move(crop)));
           }),
           py::arg("crop"));
  Class<BoundingBoxAugment>(t, "BoundingBoxAugment")
      .def(py::init([](std::shared_ptr<TensorOp> transform, double ratio) {
             return ValueOrThrow(BoundingBoxAugment::Make(std::move(transform), ratio));
           }),
           py::arg("transform"), py::arg("ratio"));
}

}  // namespace headrace::bindings
