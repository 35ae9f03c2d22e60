#include "bindings/python_callback.h"

#include "bindings/python_error.h"

namespace py = pybind11;

namespace headrace::bindings {

Status PythonCallback::Call(const char* hook, int64_t epoch, int64_t step_in_epoch, int64_t step) {
  EngineGil gil;
  try {
    py::handle(call_.ptr())(hook, epoch, step_in_epoch, step);
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, std::string("callback ") + hook);
  }
}

}  // namespace headrace::bindings
