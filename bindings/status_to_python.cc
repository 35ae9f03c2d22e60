#include "bindings/status_to_python.h"

#include "bindings/python_error.h"

#include <pybind11/pybind11.h>

#include <array>

namespace headrace::bindings {

namespace {
// Indexed by StatusCode; filled once at import by RegisterErrors, read-only afterwards.
std::array<PyObject*, kMaxStatusCode + 1> g_error_classes{};
}  // namespace

namespace detail {
void SetErrorClass(StatusCode code, PyObject* cls) {
  Py_XINCREF(cls);
  g_error_classes[static_cast<size_t>(code)] = cls;
}
}  // namespace detail

StatusCode CodeOfPythonException(PyObject* exception) {
  for (size_t code = 1; code < g_error_classes.size(); ++code) {
    PyObject* cls = g_error_classes[code];
    if (cls != nullptr && code != static_cast<size_t>(StatusCode::kUnknown) &&
        PyObject_IsInstance(exception, cls) == 1) {
      return static_cast<StatusCode>(code);
    }
  }
  return StatusCode::kUnknown;
}

void ThrowIfError(const Status& status) {
  if (status.ok()) return;
  // User code's own exception, raised on an engine thread: raise it again, unchanged.
  if (RestorePythonError(status)) throw pybind11::error_already_set();
  PyObject* cls = g_error_classes[static_cast<size_t>(status.code())];
  if (cls == nullptr) cls = PyExc_RuntimeError;  // only before RegisterErrors ran
  // Messages may quote bytes that are not UTF-8 (a file name, a peer's reply); they must
  // not turn the error into a UnicodeDecodeError.
  const std::string& message = status.message();
  PyObject* text = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()),
                                        "backslashreplace");
  if (text == nullptr) throw pybind11::error_already_set();
  PyErr_SetObject(cls, text);
  Py_DECREF(text);
  throw pybind11::error_already_set();
}

}  // namespace headrace::bindings
