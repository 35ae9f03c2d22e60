// headrace._core: the private extension behind the headrace Python package.
#include <pybind11/pybind11.h>

#include "bindings/register.h"
#include "headrace/core/row_memory.h"
#include "headrace/core/version.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "headrace's C++ core; use the headrace package, not this module.";
  m.attr("__version__") = std::string(headrace::Version());
  // While importing, before any engine thread exists (it sets environment variables).
  headrace::InitRowMemory();
  headrace::bindings::RegisterErrors(m);
  headrace::bindings::RegisterTensor(m);
  headrace::bindings::RegisterEngine(m);
  headrace::bindings::RegisterTransforms(m);
  headrace::bindings::RegisterTensorTransforms(m);
  headrace::bindings::RegisterVisionGeometry(m);
  headrace::bindings::RegisterVisionColor(m);
  headrace::bindings::RegisterVisionBoxes(m);
  headrace::bindings::RegisterVisionMisc(m);
  headrace::bindings::RegisterRecordFiles(m);
  headrace::bindings::RegisterMindRecord(m);
  headrace::bindings::RegisterTFRecord(m);
  headrace::bindings::RegisterTextFormats(m);
  headrace::bindings::RegisterImageSets(m);
  headrace::bindings::RegisterMemory(m);
  headrace::bindings::RegisterCache(m);
  headrace::bindings::RegisterChannel(m);
  headrace::bindings::RegisterServer(m);
}
