// Timeouts from Python (float seconds) to the C++ clients (milliseconds), in one place for
// every binding that waits on a server.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>

#include "headrace/core/result.h"

namespace headrace::bindings {

// A positive number of seconds, rounded up to whole milliseconds (a small positive timeout
// never becomes zero) and clamped to a year (a deadline must stay representable);
// InvalidArgument naming the value otherwise.
Result<std::chrono::milliseconds> TimeoutFromSeconds(double seconds);

// A wait: None is no limit (-1 ms), else seconds >= 0 (0: do not wait); raises
// InvalidArgumentError (also a ValueError) naming the value otherwise, as
// ValueOrThrow(TimeoutFromSeconds(...)) does. Needs the GIL.
std::chrono::milliseconds WaitFromSeconds(const pybind11::object& seconds);

}  // namespace headrace::bindings
