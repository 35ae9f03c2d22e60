#include "bindings/python_error.h"

#include <cstring>

#include "bindings/deferred_decref.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

constexpr const char* kPythonErrorTypeId = "headrace.python_error";

class PythonErrorDetail : public StatusDetail {
 public:
  // Takes a new reference to `exception`; needs the GIL. The last copy of the Status
  // may go on any thread: AnyThreadRef drops the reference without taking the GIL.
  explicit PythonErrorDetail(PyObject* exception) : exception_(Py_XNewRef(exception)) {}

  const char* type_id() const override { return kPythonErrorTypeId; }
  std::string ToString() const override { return "Python exception"; }

  PyObject* exception() const { return exception_.ptr(); }

 private:
  AnyThreadRef exception_;
};

}  // namespace

Status StatusFromPythonError(py::error_already_set& error, const std::string& context) {
  std::string message = context + ": " + py::str(error.type().attr("__name__")).cast<std::string>();
  std::string text = py::str(error.value()).cast<std::string>();
  if (!text.empty()) message += ": " + text;
  // Keep the traceback on the exception itself, so that raising it again later shows
  // where user code failed (before 3.12 the fetched traceback is held apart).
  PyObject* value = error.value().ptr();
  PyObject* existing = PyException_GetTraceback(value);  // new reference or null
  if (existing == nullptr && error.trace()) PyException_SetTraceback(value, error.trace().ptr());
  Py_XDECREF(existing);
  auto detail = std::make_shared<PythonErrorDetail>(error.value().ptr());
  return Status(StatusCode::kUnknown, std::move(message), std::move(detail));
}

bool RestorePythonError(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || std::strcmp(detail->type_id(), kPythonErrorTypeId) != 0) return false;
  PyObject* exception = static_cast<const PythonErrorDetail&>(*detail).exception();
  PyObject* traceback = PyException_GetTraceback(exception);  // new reference or null
  Py_INCREF(Py_TYPE(exception));
  Py_INCREF(exception);
  PyErr_Restore(reinterpret_cast<PyObject*>(Py_TYPE(exception)), exception, traceback);
  return true;
}

}  // namespace headrace::bindings
