// Tensor <-> NumPy without copying.
//
// A C-contiguous, aligned, native-endian array becomes a Tensor whose Buffer borrows the
// array's memory and keeps a reference to the array (released under the GIL, from any
// thread); a Tensor becomes an array whose base object keeps the Tensor alive. Either way
// no byte is copied, and a read-only array stays read-only. Other arrays are copied once.
// Strings: 'U' arrays and str objects become UTF-8 string tensors, 'S' arrays and bytes
// objects bytes tensors; they come back as 'U' and 'S' arrays (copied).
//
// Both functions need the GIL and raise InvalidArgumentError for what cannot convert.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "headrace/core/tensor.h"

namespace headrace::bindings {

// Anything numpy.asarray accepts.
TensorPtr TensorFromNumpy(const pybind11::object& object);

pybind11::array TensorToNumpy(const TensorPtr& tensor);

}  // namespace headrace::bindings
