#include "bindings/python_error.h"

#include <cstring>

#include "bindings/deferred_decref.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

constexpr const char* kPythonErrorTypeId = "headrace.python_error";

PyObject* NewReference(PyObject* object) {  // Py_XNewRef is 3.10+; we support 3.9
  Py_XINCREF(object);
  return object;
}

// str(object) or str(object.<attribute>), never throwing: the exception being reported
// may have a __str__ that fails, and this runs on an engine thread inside a catch.
std::string TextOf(PyObject* object, const char* attribute) {
  PyObject* target = attribute == nullptr ? NewReference(object)
                                          : PyObject_GetAttrString(object, attribute);
  PyObject* text = target == nullptr ? nullptr : PyObject_Str(target);
  Py_XDECREF(target);
  const char* utf8 = text == nullptr ? nullptr : PyUnicode_AsUTF8(text);
  std::string result = utf8 != nullptr ? utf8 : "<unprintable>";
  Py_XDECREF(text);
  if (utf8 == nullptr) PyErr_Clear();
  return result;
}

class PythonErrorDetail : public StatusDetail {
 public:
  // Takes a new reference to `exception`; needs the GIL. The last copy of the Status
  // may go on any thread: AnyThreadRef drops the reference without taking the GIL.
  explicit PythonErrorDetail(PyObject* exception) : exception_(NewReference(exception)) {}

  const char* type_id() const override { return kPythonErrorTypeId; }
  std::string ToString() const override { return "Python exception"; }

  PyObject* exception() const { return exception_.ptr(); }

 private:
  AnyThreadRef exception_;
};

}  // namespace

Status StatusFromPythonError(py::error_already_set& error, const std::string& context) {
  std::string message = context + ": " + TextOf(reinterpret_cast<PyObject*>(Py_TYPE(error.value().ptr())), "__name__");
  const std::string text = TextOf(error.value().ptr(), nullptr);
  if (!text.empty()) message += ": " + text;
  // Keep the traceback on the exception itself, so that raising it again later shows
  // where user code failed (before 3.12 the fetched traceback is held apart).
  PyObject* value = error.value().ptr();
  PyObject* existing = PyException_GetTraceback(value);  // new reference or null
  if (existing == nullptr && error.trace()) PyException_SetTraceback(value, error.trace().ptr());
  Py_XDECREF(existing);
  auto detail = std::make_shared<PythonErrorDetail>(error.value().ptr());
  // A HeadraceError keeps its code: a CancelledError from a worker pool is a
  // cancellation, not a failure of the pipeline.
  return Status(CodeOfPythonException(value), std::move(message), std::move(detail));
}

std::string PythonErrorText(const py::error_already_set& error) {
  return TextOf(error.value().ptr(), nullptr);
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
