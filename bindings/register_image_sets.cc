// MNIST's IDX files and CIFAR's binary batches, in headrace._core.records: random-access
// sources read by a SourceOp's workers with a sampler, like engine.file_list_source.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/deferred_decref.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/samplers/sampler.h"
#include "headrace/engine/sources/image_sets/cifar_source.h"
#include "headrace/engine/sources/image_sets/mnist_source.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::CifarSource;
using engine::MnistSource;
using OpPtr = std::shared_ptr<engine::DatasetOp>;

CifarSource::Kind CifarKind(bool cifar100) {
  return cifar100 ? CifarSource::Kind::kCifar100 : CifarSource::Kind::kCifar10;
}

// Opening checks every file's header and size: done without the GIL.
std::shared_ptr<MnistSource> MakeMnist(const std::vector<std::string>& image_files,
                                       const std::vector<std::string>& label_files) {
  return ValueOrThrow(WithoutGil([&] { return MnistSource::Make(image_files, label_files); }));
}

std::shared_ptr<CifarSource> MakeCifar(bool cifar100, const std::vector<std::string>& files) {
  return ValueOrThrow(WithoutGil([&] { return CifarSource::Make(CifarKind(cifar100), files); }));
}

}  // namespace

void RegisterImageSets(py::module_& m) {
  py::module_ records = m.attr("records").cast<py::module_>();

  records.def(
      "mnist_rows",
      [](const std::vector<std::string>& image_files, const std::vector<std::string>& label_files) {
        return MakeMnist(image_files, label_files)->size();
      },
      py::arg("image_files"), py::arg("label_files"),
      "Rows of the MNIST parts (image_files[i], label_files[i]), from their headers; raises "
      "for a file that is not MNIST's or whose size does not match its header.");
  records.def(
      "mnist_source",
      [](const std::vector<std::string>& image_files, const std::vector<std::string>& label_files,
         std::shared_ptr<engine::Sampler> sampler, int num_workers) -> OpPtr {
        return std::make_shared<engine::SourceOp>("Mnist", MakeMnist(image_files, label_files),
                                                  std::move(sampler), num_workers);
      },
      py::arg("image_files"), py::arg("label_files"), py::arg("sampler"), py::arg("num_workers"));

  records.def(
      "cifar_rows",
      [](bool cifar100, const std::vector<std::string>& files) {
        return MakeCifar(cifar100, files)->size();
      },
      py::arg("cifar100"), py::arg("files"),
      "Rows of the CIFAR batch files, from their sizes; raises for a partial record.");
  records.def(
      "cifar_source",
      [](bool cifar100, const std::vector<std::string>& files, std::shared_ptr<engine::Sampler> sampler,
         int num_workers) -> OpPtr {
        return std::make_shared<engine::SourceOp>(cifar100 ? "Cifar100" : "Cifar10",
                                                  MakeCifar(cifar100, files), std::move(sampler),
                                                  num_workers);
      },
      py::arg("cifar100"), py::arg("files"), py::arg("sampler"), py::arg("num_workers"));
}

}  // namespace headrace::bindings
