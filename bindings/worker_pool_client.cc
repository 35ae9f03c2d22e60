#include "bindings/worker_pool_client.h"

#include "bindings/python_error.h"

namespace py = pybind11;

namespace headrace::bindings {

WorkerPoolClient::WorkerPoolClient(py::object pool, std::string description)
    : pool_(pool.release().ptr()),
      description_(std::move(description)),
      cancel_("the worker pool of " + description_) {}

Status WorkerPoolClient::RunBlock(const py::list& rows, py::list* results) {
  try {
    *results = py::handle(pool_.ptr()).attr("run_block")(rows, cancel_.read_fd());
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, description_);
  }
  if (results->size() != rows.size()) {
    return Status::Internal("the worker pool of " + description_ + " returned " +
                            std::to_string(results->size()) + " results for " +
                            std::to_string(rows.size()) + " rows");
  }
  return Status::OK();
}

}  // namespace headrace::bindings
