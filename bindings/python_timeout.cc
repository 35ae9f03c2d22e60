#include "bindings/python_timeout.h"

#include <cmath>
#include <string>

#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {
constexpr double kMaxTimeoutSeconds = 365.0 * 24 * 3600;
}  // namespace

Result<std::chrono::milliseconds> TimeoutFromSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0) {
    return Status::InvalidArgument("timeout must be a positive number of seconds, got " +
                                   std::string(py::str(py::float_(seconds))));
  }
  const double ms = std::ceil(std::fmin(seconds, kMaxTimeoutSeconds) * 1000.0);
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

std::chrono::milliseconds WaitFromSeconds(const py::object& seconds) {
  if (seconds.is_none()) return std::chrono::milliseconds(-1);
  const double value = seconds.cast<double>();
  if (!std::isfinite(value) || value < 0) {
    ThrowIfError(Status::InvalidArgument("timeout must be None or a non-negative number of seconds, got " +
                                         std::string(py::str(seconds))));
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(std::fmin(value, kMaxTimeoutSeconds) * 1000.0)));
}

}  // namespace headrace::bindings
