// The one place where a C++ Status becomes a Python exception.
//
// ThrowIfError raises the exception class registered for the status code (see
// register_errors.cc), with the status message as its message. Call it with the GIL held.
#pragma once

#include <Python.h>

#include <utility>

#include "headrace/core/result.h"
#include "headrace/core/status.h"

namespace headrace::bindings {

// Throws pybind11::error_already_set carrying the matching HeadraceError subclass.
void ThrowIfError(const Status& status);

// The StatusCode a Python exception stands for: the code of its HeadraceError class (a
// CancelledError raised by headrace's own Python code is kCancelled), kUnknown for any
// other exception. Needs the GIL.
StatusCode CodeOfPythonException(PyObject* exception);

template <typename T>
T ValueOrThrow(Result<T> result) {
  ThrowIfError(result.status());
  return std::move(result).value();
}

}  // namespace headrace::bindings

namespace headrace::bindings::detail {

// Used by RegisterErrors only: the Python class raised for `code` (a new reference is
// kept for the life of the process).
void SetErrorClass(StatusCode code, PyObject* cls);

}  // namespace headrace::bindings::detail
