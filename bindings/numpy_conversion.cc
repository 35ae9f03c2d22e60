// Tensor <-> NumPy without copying: see numpy_conversion.h.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "bindings/numpy_conversion.h"
#include "bindings/deferred_decref.h"
#include "bindings/python_error.h"
#include "bindings/status_to_python.h"
#include "headrace/core/tensor.h"
#include "headrace/core/utf8.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// The NumPy functions used here, looked up once. Leaked on purpose: they must outlive every
// engine thread, and Python objects cannot be destroyed after the interpreter is gone.
struct NumpyFunctions {
  py::object require;
  py::object zeros;
  PyTypeObject* number;  // numpy.number: the scalar types of numbers
  PyTypeObject* bool_;
};

const NumpyFunctions& Numpy() {
  static const auto* functions = [] {
    py::module_ numpy = py::module_::import("numpy");
    return new NumpyFunctions{
        numpy.attr("require"), numpy.attr("zeros"),
        reinterpret_cast<PyTypeObject*>(py::object(numpy.attr("number")).release().ptr()),
        reinterpret_cast<PyTypeObject*>(py::object(numpy.attr("bool_")).release().ptr())};
  }();
  return *functions;
}

// The tensor type of a one-character struct format of `itemsize` bytes (what a NumPy
// scalar's buffer says it holds), or nullopt.
std::optional<DataType> TypeOfFormat(char format, Py_ssize_t itemsize) {
  auto sized = [&](DataType one, DataType two, DataType four, DataType eight) -> std::optional<DataType> {
    switch (itemsize) {
      case 1: return one;
      case 2: return two;
      case 4: return four;
      case 8: return eight;
    }
    return std::nullopt;
  };
  switch (format) {
    case '?': return itemsize == 1 ? std::optional<DataType>(DataType::kBool) : std::nullopt;
    case 'b': case 'h': case 'i': case 'l': case 'q':
      return sized(DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64);
    case 'B': case 'H': case 'I': case 'L': case 'Q':
      return sized(DataType::kUInt8, DataType::kUInt16, DataType::kUInt32, DataType::kUInt64);
    case 'e': case 'f': case 'd':
      if (itemsize == 1) return std::nullopt;
      return sized(DataType::kUInt8, DataType::kFloat16, DataType::kFloat32, DataType::kFloat64);
  }
  return std::nullopt;
}

template <typename T>
ScalarBytes BytesOf(DataType type, T value) {
  ScalarBytes scalar{type, {}};
  std::memcpy(scalar.bytes, &value, sizeof(T));
  return scalar;
}

// A NumPy number's value through its buffer (which, unlike np.asarray, makes no array).
std::optional<ScalarBytes> NumpyScalarValue(PyObject* object) {
  Py_buffer view;
  if (PyObject_GetBuffer(object, &view, PyBUF_FORMAT) != 0) {
    PyErr_Clear();
    return std::nullopt;
  }
  std::optional<ScalarBytes> scalar;
  const char* format = view.format;
  if (format != nullptr && format[0] != 0 && format[1] == 0 && view.len == view.itemsize &&
      view.itemsize <= static_cast<Py_ssize_t>(sizeof(ScalarBytes::bytes))) {
    if (std::optional<DataType> type = TypeOfFormat(format[0], view.itemsize)) {
      scalar = ScalarBytes{*type, {}};
      std::memcpy(scalar->bytes, view.buf, static_cast<size_t>(view.itemsize));
    }
  }
  PyBuffer_Release(&view);
  return scalar;
}

// The NumPy dtype of a fixed-width type, made once per type (parsing a dtype name on every
// row would cost more than the rest of the conversion).
const py::dtype& NumpyDtype(DataType type) {
  static auto* dtypes = [] {
    auto* table = new std::vector<py::dtype>();
    for (int t = 0; t <= static_cast<int>(DataType::kFloat64); ++t) {
      table->emplace_back(std::string(DataTypeName(static_cast<DataType>(t))));
    }
    return table;
  }();
  return (*dtypes)[static_cast<size_t>(type)];
}

// The base object of arrays that view a tensor: a plain Python object holding the
// TensorPtr inline (one small allocation from Python's allocator, unlike a capsule).
struct TensorOwner {
  PyObject_HEAD
  TensorPtr tensor;
};

void TensorOwnerDealloc(PyObject* self) {
  reinterpret_cast<TensorOwner*>(self)->tensor.~TensorPtr();
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);  // instances of heap types hold their type
}

PyObject* NewTensorOwner(const TensorPtr& tensor) {
  static PyTypeObject* type = [] {
    static PyType_Slot slots[] = {{Py_tp_dealloc, reinterpret_cast<void*>(&TensorOwnerDealloc)},
                                  {0, nullptr}};
    static PyType_Spec spec = {"headrace._core._TensorOwner", sizeof(TensorOwner), 0,
                               Py_TPFLAGS_DEFAULT, slots};
    auto* made = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&spec));
    if (made == nullptr) throw py::error_already_set();
    return made;  // kept for the life of the process
  }();
  PyObject* owner = type->tp_alloc(type, 0);
  if (owner == nullptr) throw py::error_already_set();
  new (&reinterpret_cast<TensorOwner*>(owner)->tensor) TensorPtr(tensor);
  return owner;
}

Result<DataType> FixedWidthTypeOf(const py::dtype& dtype) {
  const char kind = dtype.kind();
  const auto size = dtype.itemsize();
  if (kind == 'b') return DataType::kBool;
  if (kind == 'i' || kind == 'u') {
    const bool is_signed = kind == 'i';
    switch (size) {
      case 1: return is_signed ? DataType::kInt8 : DataType::kUInt8;
      case 2: return is_signed ? DataType::kInt16 : DataType::kUInt16;
      case 4: return is_signed ? DataType::kInt32 : DataType::kUInt32;
      case 8: return is_signed ? DataType::kInt64 : DataType::kUInt64;
    }
  }
  if (kind == 'f') {
    switch (size) {
      case 2: return DataType::kFloat16;
      case 4: return DataType::kFloat32;
      case 8: return DataType::kFloat64;
    }
  }
  return Status::InvalidArgument("Tensor: unsupported NumPy dtype '" +
                                 std::string(py::str(dtype)) +
                                 "'; supported are bool, int8..int64, uint8..uint64, "
                                 "float16/32/64, str ('U'), bytes ('S') and object arrays "
                                 "of str or bytes");
}

Shape ShapeOf(const py::array& array) {
  return Shape(array.shape(), array.shape() + array.ndim());
}

// `array` as `dtype`, C-contiguous and aligned: itself if it is already, else a copy.
// (np.require keeps 0-d arrays 0-d, unlike np.ascontiguousarray.)
py::array Contiguous(const py::array& array, const py::object& dtype) {
  return Numpy().require(array, dtype, py::make_tuple("C", "A"));
}

TensorPtr WrapFixedWidth(py::array array, DataType type, Borrow borrow) {
  const bool usable_in_place = (array.flags() & py::array::c_style) &&
                               (array.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_) &&
                               array.dtype().byteorder() != '>';
  if (!usable_in_place) {
    array = Contiguous(array, array.dtype().attr("newbyteorder")("="));
  }
  auto* data = static_cast<uint8_t*>(const_cast<void*>(array.data()));
  // The buffer owns a reference to the array; the last holder may be an engine thread,
  // which must not take the GIL for it (deferred_decref.h).
  PyObject* owner = array.inc_ref().ptr();
  const bool writable = borrow == Borrow::kShareWrites && array.writeable();
  BufferPtr buffer = Buffer::Wrap(data, array.nbytes(), writable, [owner] { DecrefAnyThread(owner); });
  return ValueOrThrow(Tensor::FromBuffer(type, ShapeOf(array), std::move(buffer)));
}

// Trailing NULs are padding in NumPy's fixed-width string types.
template <typename Char>
size_t TrimmedLength(const Char* item, size_t width) {
  while (width > 0 && item[width - 1] == 0) --width;
  return width;
}

TensorPtr FromUnicodeArray(const py::array& input) {
  py::array array = Contiguous(input, input.dtype().attr("newbyteorder")("="));
  const size_t width = array.itemsize() / sizeof(char32_t);
  const auto* chars = static_cast<const char32_t*>(array.data());
  const auto count = static_cast<size_t>(array.size());
  std::vector<std::string> encoded(count);
  for (size_t i = 0; i < count; ++i) {
    const char32_t* item = chars + i * width;
    const size_t length = TrimmedLength(item, width);
    for (size_t k = 0; k < length; ++k) {
      if (!utf8::Append(item[k], &encoded[i])) {
        ThrowIfError(Status::InvalidArgument("Tensor: string element " + std::to_string(i) +
                                             " holds a code point that is not valid Unicode"));
      }
    }
  }
  std::vector<std::string_view> views(encoded.begin(), encoded.end());
  return ValueOrThrow(Tensor::FromStrings(DataType::kString, ShapeOf(array), views));
}

TensorPtr FromBytesArray(const py::array& input) {
  py::array array = Contiguous(input, input.dtype());
  const auto width = static_cast<size_t>(array.itemsize());
  const auto* bytes = static_cast<const char*>(array.data());
  const auto count = static_cast<size_t>(array.size());
  std::vector<std::string_view> views(count);
  for (size_t i = 0; i < count; ++i) {
    const char* item = bytes + i * width;
    views[i] = std::string_view(item, TrimmedLength(item, width));
  }
  return ValueOrThrow(Tensor::FromStrings(DataType::kBytes, ShapeOf(array), views));
}

TensorPtr FromObjectArray(const py::array& input) {
  py::array array = Contiguous(input, input.dtype());
  const auto count = static_cast<size_t>(array.size());
  auto* const* items = static_cast<PyObject* const*>(array.data());
  std::vector<std::string_view> views(count);
  DataType type = DataType::kString;
  for (size_t i = 0; i < count; ++i) {
    PyObject* item = items[i];
    const DataType item_type = PyBytes_Check(item) ? DataType::kBytes : DataType::kString;
    if (PyUnicode_Check(item)) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(item, &size);
      if (text == nullptr) {
        PyErr_Clear();
        ThrowIfError(Status::InvalidArgument("Tensor: str element " + std::to_string(i) +
                                             " cannot be encoded as UTF-8"));
      }
      views[i] = std::string_view(text, static_cast<size_t>(size));
    } else if (PyBytes_Check(item)) {
      views[i] = std::string_view(PyBytes_AS_STRING(item),
                                  static_cast<size_t>(PyBytes_GET_SIZE(item)));
    } else {
      ThrowIfError(Status::InvalidArgument(
          "Tensor: object array element " + std::to_string(i) + " is of type '" +
          std::string(py::str(py::type::handle_of(item).attr("__name__"))) +
          "'; object arrays may hold only str or bytes"));
    }
    if (i == 0) {
      type = item_type;
    } else if (item_type != type) {
      ThrowIfError(Status::InvalidArgument("Tensor: object array mixes str and bytes (element " +
                                           std::to_string(i) + ")"));
    }
  }
  // `views` point into objects that `array` keeps alive until FromStrings has copied them.
  return ValueOrThrow(Tensor::FromStrings(type, ShapeOf(array), views));
}

py::array StringsToNumpy(const TensorPtr& tensor) {
  const bool is_text = tensor->dtype() == DataType::kString;
  size_t width = 1;  // NumPy has no zero-width string dtype
  for (int64_t i = 0; i < tensor->num_elements(); ++i) {
    const std::string_view item = tensor->StringAt(i);
    const auto length = is_text ? static_cast<size_t>(utf8::CountCodePoints(item)) : item.size();
    width = std::max(width, length);
  }
  py::dtype dtype((is_text ? "U" : "S") + std::to_string(width));
  py::array out = Numpy().zeros(py::cast(tensor->shape().ToVector()), dtype);
  auto* base = static_cast<char*>(out.mutable_data());
  for (int64_t i = 0; i < tensor->num_elements(); ++i) {
    const std::string_view item = tensor->StringAt(i);
    if (is_text) {
      utf8::Decode(item, reinterpret_cast<char32_t*>(base) + i * width);
    } else {
      std::memcpy(base + i * width, item.data(), item.size());
    }
  }
  return out;
}

}  // namespace

TensorPtr TensorFromNumpy(const py::object& object, Borrow borrow) {
  py::array array;
  try {
    if (py::isinstance<py::array>(object)) {
      array = py::reinterpret_borrow<py::array>(object);
    } else {
      // What np.asarray does, through NumPy's C API rather than a Python call of asarray,
      // which a source handing over a NumPy scalar per row (GeneratorDataset) pays per row.
      PyObject* made = py::detail::npy_api::get().PyArray_FromAny_(
          object.ptr(), nullptr, 0, 0, py::detail::npy_api::NPY_ARRAY_ENSUREARRAY_, nullptr);
      if (made == nullptr) throw py::error_already_set();
      array = py::reinterpret_steal<py::array>(made);
    }
  } catch (py::error_already_set& error) {
    // What asarray refuses is a bad argument; anything else (MemoryError, Ctrl-C) stays.
    if (!error.matches(PyExc_TypeError) && !error.matches(PyExc_ValueError)) throw;
    ThrowIfError(Status::InvalidArgument(
        "Tensor: array: cannot make a NumPy array from the " +
        std::string(py::str(py::type::handle_of(object).attr("__name__"))) +
        " given: " + PythonErrorText(error)));
  }
  switch (array.dtype().kind()) {
    case 'U': return FromUnicodeArray(array);
    case 'S': return FromBytesArray(array);
    case 'O': return FromObjectArray(array);
    default: return WrapFixedWidth(array, ValueOrThrow(FixedWidthTypeOf(array.dtype())), borrow);
  }
}

py::array TensorToNumpy(const TensorPtr& tensor) {
  if (!IsFixedWidth(tensor->dtype())) return StringsToNumpy(tensor);
  // This runs once per column of every row handed to Python code, so it goes straight to
  // NumPy's C API: no temporary vectors, no capsule.
  const py::dtype& dtype = NumpyDtype(tensor->dtype());
  const Shape& shape = tensor->shape();
  const int rank = static_cast<int>(shape.size());
  std::vector<Py_intptr_t> heap_dims;
  Py_intptr_t stack_dims[2 * Shape::kInlineRank];
  Py_intptr_t* dims = stack_dims;
  if (shape.size() > Shape::kInlineRank) {
    heap_dims.resize(2 * shape.size());
    dims = heap_dims.data();
  }
  Py_intptr_t* strides = dims + rank;
  Py_intptr_t stride = dtype.itemsize();
  for (int i = rank; i-- > 0;) {
    dims[i] = shape[i];
    strides[i] = stride;
    stride *= shape[i];
  }
  auto& api = py::detail::npy_api::get();
  const int flags = tensor->buffer()->is_mutable() ? py::detail::npy_api::NPY_ARRAY_WRITEABLE_ : 0;
  PyObject* array = api.PyArray_NewFromDescr_(api.PyArray_Type_, dtype.inc_ref().ptr(), rank, dims,
                                              strides, const_cast<uint8_t*>(tensor->data()), flags,
                                              nullptr);
  if (array == nullptr) throw py::error_already_set();
  // The base object holds a reference to the tensor, which holds the buffer: the array's
  // memory lives as long as the array. SetBaseObject steals the owner's reference.
  if (api.PyArray_SetBaseObject_(array, NewTensorOwner(tensor)) < 0) {
    Py_DECREF(array);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::array>(array);
}

std::optional<DataType> BorrowableType(const py::array& array) {
  const int flags = array.flags();
  if (!(flags & py::array::c_style) || !(flags & py::detail::npy_api::NPY_ARRAY_ALIGNED_)) {
    return std::nullopt;
  }
  const py::dtype dtype = array.dtype();
  if (dtype.byteorder() == '>') return std::nullopt;
  Result<DataType> type = FixedWidthTypeOf(dtype);
  if (!type.ok()) return std::nullopt;
  return *type;
}

py::array ReadOnlyView(const py::array& array) {
  // Straight to NumPy's C API, as TensorToNumpy: this runs for every row a map is given.
  auto& api = py::detail::npy_api::get();
  const auto* fields = py::detail::array_proxy(array.ptr());
  Py_INCREF(fields->descr);  // NewFromDescr steals it
  PyObject* view = api.PyArray_NewFromDescr_(api.PyArray_Type_, fields->descr, fields->nd,
                                             fields->dimensions, fields->strides, fields->data,
                                             /*flags: read-only*/ 0, nullptr);
  if (view == nullptr) throw py::error_already_set();
  // The view keeps the array, and so its memory, alive; SetBaseObject steals the reference.
  if (api.PyArray_SetBaseObject_(view, array.inc_ref().ptr()) < 0) {
    Py_DECREF(view);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::array>(view);
}

std::optional<ScalarBytes> ScalarValue(py::handle handle) {
  PyObject* object = handle.ptr();
  // As np.asarray: bool before int (bool is an int), Python ints as int64, floats float64.
  if (PyBool_Check(object)) return BytesOf(DataType::kBool, static_cast<uint8_t>(object == Py_True));
  if (PyLong_Check(object)) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow != 0 || (value == -1 && PyErr_Occurred())) {
      PyErr_Clear();
      return std::nullopt;
    }
    return BytesOf(DataType::kInt64, static_cast<int64_t>(value));
  }
  if (PyFloat_Check(object)) return BytesOf(DataType::kFloat64, PyFloat_AS_DOUBLE(object));
  const NumpyFunctions& numpy = Numpy();
  if (PyObject_TypeCheck(object, numpy.number) || PyObject_TypeCheck(object, numpy.bool_)) {
    return NumpyScalarValue(object);
  }
  return std::nullopt;
}

}  // namespace headrace::bindings
