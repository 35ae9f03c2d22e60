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

#include <optional>

#include "headrace/core/tensor.h"

namespace headrace::bindings {

// What a tensor that borrows a writable NumPy array may do with its memory.
enum class Borrow {
  // Pipelines (sources, results of user functions): the views handed to Python code are
  // read-only, so that a map function cannot change the user's array.
  kReadOnly,
  // headrace.Tensor(array): the tensor stands for the user's array; writes are shared.
  kShareWrites,
};

// Anything numpy.asarray accepts. Borrows C-contiguous aligned native arrays, copies the
// rest.
TensorPtr TensorFromNumpy(const pybind11::object& object, Borrow borrow = Borrow::kReadOnly);

pybind11::array TensorToNumpy(const TensorPtr& tensor);

// The type of a fixed-width array that TensorFromNumpy would borrow as it is (C-contiguous,
// aligned, native byte order); nullopt for any other array (strings, objects, strided or
// byte-swapped arrays, types without a tensor type), which TensorFromNumpy copies or refuses.
std::optional<DataType> BorrowableType(const pybind11::array& array);

// A single number as TensorFromNumpy makes it a 0-d tensor: its type and bytes.
struct ScalarBytes {
  DataType type;
  alignas(8) uint8_t bytes[8];
};

// The value of a NumPy number or bool, or of a Python bool, int or float; nullopt for
// anything else (and for ints beyond int64), which TensorFromNumpy converts or refuses.
// Cheaper than the 0-d array that TensorFromNumpy goes through.
std::optional<ScalarBytes> ScalarValue(pybind11::handle object);

// A new array over `array`'s memory that cannot write it: what a Python function is given
// when the array belongs to someone else (the user's data).
pybind11::array ReadOnlyView(const pybind11::array& array);

}  // namespace headrace::bindings
