// The shared-memory store as seen from Python (headrace._core.memory): what worker
// processes use to hand results back (python/headrace/dataset/workers/transport.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstring>
#include <memory>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/core/tensor.h"
#include "headrace/memory/shared_store.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using memory::SharedStore;
using StorePtr = std::shared_ptr<SharedStore>;

// Copies `data` (a C- or Fortran-contiguous buffer) into a new block; returns its offset.
int64_t Put(SharedStore& store, const py::buffer& data) {
  Py_buffer view;
  if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_ANY_CONTIGUOUS) != 0) throw py::error_already_set();
  const int64_t size = view.len;
  // Large results are copied here: let other threads run meanwhile.
  Result<int64_t> offset = WithoutGil([&]() -> Result<int64_t> {
    ASSIGN_OR_RETURN(int64_t block, store.Allocate(size));
    std::memcpy(store.data(block), view.buf, static_cast<size_t>(size));
    return block;
  });
  PyBuffer_Release(&view);
  return ValueOrThrow(std::move(offset));
}

// A writable uint8 array over the first `size` bytes of the block at `offset`, taking over
// one reference: the block is freed when the array (and every view of it) is gone.
py::array Take(SharedStore& store, int64_t offset, int64_t size) {
  BufferPtr buffer = ValueOrThrow(store.Adopt(offset, size));
  TensorPtr tensor = ValueOrThrow(Tensor::FromBuffer(DataType::kUInt8, Shape{size}, std::move(buffer)));
  return TensorToNumpy(tensor);
}

}  // namespace

void RegisterMemory(py::module_& m) {
  py::module_ memory = m.def_submodule("memory", "The shared-memory store (private).");
  py::class_<SharedStore, StorePtr>(memory, "SharedStore",
                                    "One allocator over one shared-memory segment.")
      .def_static("create",
                  [](int64_t capacity) { return ValueOrThrow(SharedStore::Create(capacity)); },
                  py::arg("capacity"))
      .def_static("attach", [](int fd) { return ValueOrThrow(SharedStore::Attach(fd)); },
                  py::arg("fd"))
      .def_property_readonly("fd", &SharedStore::fd)
      .def_property_readonly("capacity", &SharedStore::capacity)
      .def_property_readonly("used_bytes", &SharedStore::used_bytes)
      .def_property_readonly("free_bytes", &SharedStore::free_bytes)
      .def_property_readonly("num_blocks", &SharedStore::num_blocks)
      .def("put", &Put, py::arg("data"),
           "Copies a contiguous buffer into a new block; returns the block's offset.")
      .def("take", &Take, py::arg("offset"), py::arg("size"),
           "The block as a uint8 array that owns one reference to it.")
      .def("release",
           [](SharedStore& store, int64_t offset) { ThrowIfError(store.Release(offset)); },
           py::arg("offset"), "Drops one reference to the block at `offset`.");
}

}  // namespace headrace::bindings
