// Placeholder while the channel issue is in progress.
#include <pybind11/pybind11.h>

#include "bindings/register.h"

namespace headrace::bindings {

void RegisterChannel(pybind11::module_& m) { (void)m; }

}  // namespace headrace::bindings
