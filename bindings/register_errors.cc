// headrace's exception classes: HeadraceError and one subclass per StatusCode, each of
// which also subclasses the built-in exception a Python user would expect, so that
// `except ValueError` catches a bad argument and `except HeadraceError` catches any
// headrace error. Their __module__ is headrace.errors, where the package re-exports them.
#include <pybind11/pybind11.h>

#include "bindings/register.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

struct ErrorClassSpec {
  StatusCode code;
  const char* name;
  PyObject* builtin;  // nullptr: HeadraceError only
  const char* doc;
};

std::vector<ErrorClassSpec> ErrorClassSpecs() {
  return {
      {StatusCode::kCancelled, "CancelledError", nullptr, "The operation was cancelled."},
      {StatusCode::kUnknown, "UnknownError", PyExc_RuntimeError, "An error of unknown kind."},
      {StatusCode::kInvalidArgument, "InvalidArgumentError", PyExc_ValueError,
       "An argument or request is not valid; the message names it."},
      {StatusCode::kDeadlineExceeded, "DeadlineExceededError", PyExc_TimeoutError,
       "A wait ran out of time."},
      {StatusCode::kNotFound, "NotFoundError", PyExc_KeyError, "Something named was not found."},
      {StatusCode::kAlreadyExists, "AlreadyExistsError", PyExc_FileExistsError,
       "Something to be created exists already."},
      {StatusCode::kPermissionDenied, "PermissionDeniedError", PyExc_PermissionError,
       "The caller may not do this."},
      {StatusCode::kResourceExhausted, "OutOfMemoryError", PyExc_MemoryError,
       "Memory, disk or another resource ran out."},
      {StatusCode::kFailedPrecondition, "FailedPreconditionError", PyExc_RuntimeError,
       "The system is not in a state where this can be done."},
      {StatusCode::kAborted, "AbortedError", PyExc_RuntimeError, "The operation was aborted."},
      {StatusCode::kOutOfRange, "OutOfRangeError", PyExc_IndexError,
       "An index or position is out of range."},
      {StatusCode::kUnimplemented, "UnimplementedError", PyExc_NotImplementedError,
       "Not implemented."},
      {StatusCode::kInternal, "InternalError", PyExc_RuntimeError,
       "A bug in headrace: an invariant did not hold."},
      {StatusCode::kUnavailable, "UnavailableError", PyExc_ConnectionError,
       "A server or peer cannot be reached."},
      {StatusCode::kDataLoss, "DataLossError", PyExc_OSError, "Data was lost or corrupted."},
      {StatusCode::kUnauthenticated, "UnauthenticatedError", PyExc_PermissionError,
       "The request lacks valid credentials."},
  };
}

// Python's KeyError shows repr(message) and OSError may show errno fields; headrace
// errors always show the message exactly as the C++ side wrote it.
py::str ErrorToString(py::handle self) {
  py::tuple args = self.attr("args");
  if (args.size() == 1) return py::str(args[0]);
  return py::handle(PyExc_Exception).attr("__str__")(self);
}

py::object NewErrorClass(const std::string& name, const char* doc, py::tuple bases) {
  PyObject* cls = PyErr_NewExceptionWithDoc(("headrace.errors." + name).c_str(), doc,
                                            bases.ptr(), nullptr);
  if (cls == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(cls);
}

}  // namespace

void RegisterErrors(py::module_& m) {
  py::object base = NewErrorClass(
      "HeadraceError", "Base class of every error raised by headrace.",
      py::make_tuple(py::handle(PyExc_Exception)));
  base.attr("__str__") = py::cpp_function(&ErrorToString, py::is_method(base));
  base.attr("code") = "UNKNOWN";
  m.attr("HeadraceError") = base;
  detail::SetErrorClass(StatusCode::kOk, nullptr);

  py::dict by_code;
  for (const ErrorClassSpec& spec : ErrorClassSpecs()) {
    py::tuple bases = spec.builtin != nullptr
                          ? py::tuple(py::make_tuple(base, py::handle(spec.builtin)))
                          : py::tuple(py::make_tuple(base));
    py::object cls = NewErrorClass(spec.name, spec.doc, bases);
    cls.attr("code") = std::string(StatusCodeName(spec.code));
    m.attr(spec.name) = cls;
    by_code[py::int_(static_cast<int>(spec.code))] = cls;
    detail::SetErrorClass(spec.code, cls.ptr());
  }
  m.attr("ERROR_CLASSES") = by_code;

  // Lets tests check the translation of every code without a real failure of each kind.
  m.def(
      "_raise_status",
      [](int code, const std::string& message) {
        if (code <= 0 || code > kMaxStatusCode) {
          ThrowIfError(Status::InvalidArgument("_raise_status: code must be in [1, " +
                                               std::to_string(kMaxStatusCode) + "], got " +
                                               std::to_string(code)));
        }
        ThrowIfError(Status(static_cast<StatusCode>(code), message));
      },
      py::arg("code"), py::arg("message"),
      "Raise the exception that a C++ Status of `code` becomes (for tests).");
}

}  // namespace headrace::bindings
