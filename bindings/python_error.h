// Python exceptions raised by user code on engine threads, carried in a Status.
//
// A worker thread that calls user code (a map function, a generator) and catches its
// exception turns it into a Status whose detail keeps the exception object itself, with
// its traceback. When that Status reaches the thread that iterates, ThrowIfError
// (status_to_python.h) raises that very exception again: same type, same object, same
// traceback, as pyarrow does with its PythonErrorDetail.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "headrace/core/status.h"

namespace headrace::bindings {

// Catches nothing itself: call it in a `catch (pybind11::error_already_set&)` block,
// with the GIL held. `context` (e.g. "map function 'double'") goes before the message.
Status StatusFromPythonError(pybind11::error_already_set& error, const std::string& context);

// str() of the exception, never throwing ("<unprintable>" when its __str__ fails).
std::string PythonErrorText(const pybind11::error_already_set& error);

// If `status` carries a Python exception, sets it as the current Python error and
// returns true. Needs the GIL.
bool RestorePythonError(const Status& status);

}  // namespace headrace::bindings
