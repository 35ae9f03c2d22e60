#include "bindings/python_worker_pool_op.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/python_tensor_op.h"
#include "bindings/status_to_python.h"

namespace py = pybind11;

namespace headrace::bindings {

PythonWorkerPoolOp::PythonWorkerPoolOp(py::object pool, std::string name)
    : name_(std::move(name)), pool_(pool.release().ptr()) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    ThrowIfError(Status::ResourceExhausted(std::string("cannot make the cancel pipe of the "
                                                       "worker pool of '") +
                                           name_ + "': " + std::strerror(errno)));
  }
  cancel_read_ = fds[0];
  cancel_write_ = fds[1];
}

PythonWorkerPoolOp::~PythonWorkerPoolOp() {
  close(cancel_read_);
  close(cancel_write_);
}

Status PythonWorkerPoolOp::Compute(engine::TensorList* columns) {
  std::vector<engine::TensorList> rows(1);
  rows[0] = std::move(*columns);
  RETURN_IF_ERROR(ComputeBlock(&rows));
  *columns = std::move(rows[0]);
  return Status::OK();
}

Status PythonWorkerPoolOp::ComputeBlock(std::vector<engine::TensorList>* rows) {
  EngineGil gil;
  try {
    py::list arguments(rows->size());
    for (size_t r = 0; r < rows->size(); ++r) {
      const engine::TensorList& columns = (*rows)[r];
      py::tuple row(columns.size());
      for (size_t c = 0; c < columns.size(); ++c) row[c] = TensorToNumpy(columns[c]);
      arguments[r] = std::move(row);
    }
    // run_block waits for the worker process without the GIL.
    py::list results = py::handle(pool_.ptr()).attr("run_block")(arguments, cancel_read_);
    if (results.size() != rows->size()) {
      return Status::Internal("worker pool of '" + name_ + "' returned " +
                              std::to_string(results.size()) + " results for " +
                              std::to_string(rows->size()) + " rows");
    }
    for (size_t r = 0; r < rows->size(); ++r) {
      RETURN_IF_ERROR(PythonResultToColumns(results[r], &(*rows)[r], name_));
    }
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "map function '" + name_ + "'");
  }
}

void PythonWorkerPoolOp::Cancel() {
  const char byte = 1;
  // A full pipe already says "cancelled"; nothing else can go wrong that matters here.
  [[maybe_unused]] ssize_t written = write(cancel_write_, &byte, 1);
}

void PythonWorkerPoolOp::ClearCancel() {
  char bytes[64];
  while (read(cancel_read_, bytes, sizeof(bytes)) > 0) {
  }
}

}  // namespace headrace::bindings
