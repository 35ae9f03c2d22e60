// Tensor: an n-dimensional array of one DataType, the unit of data in a TensorRow.
//
// A tensor is a dtype, a shape and a reference-counted Buffer (and an offset into it, so
// that slicing a column into rows costs one allocation). Fixed-width elements are stored
// densely in row-major (C) order starting at data(). String and bytes
// tensors store num_elements()+1 uint64 offsets followed by the concatenated bytes;
// element i is bytes [offsets[i], offsets[i+1]) of that byte area. A kString tensor
// always holds valid UTF-8.
//
// Several tensors (and NumPy arrays) may share one buffer; copying a TensorPtr never
// copies bytes. A tensor is immutable once shared; read it from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/buffer.h"
#include "headrace/core/data_type.h"
#include "headrace/core/result.h"
#include "headrace/core/shape.h"

namespace headrace {

// Product of the dimensions; InvalidArgument if one is negative or the product overflows.
Result<int64_t> NumElements(const Shape& shape);

// Bytes of a fixed-width tensor of `dtype` and `shape`; InvalidArgument on overflow.
Result<int64_t> NumBytes(DataType dtype, const Shape& shape);

class Tensor;
using TensorPtr = std::shared_ptr<Tensor>;
// The columns of one row as a transform reads and writes them.
using TensorList = std::vector<TensorPtr>;

class Tensor {
 public:
  // A fixed-width tensor over fresh, uninitialised memory.
  static Result<TensorPtr> Create(DataType dtype, Shape shape);

  // A fixed-width tensor viewing `buffer`, which must hold at least
  // num_elements * ElementSize(dtype) bytes. No copy.
  static Result<TensorPtr> FromBuffer(DataType dtype, Shape shape, BufferPtr buffer);

  // A kString or kBytes tensor holding copies of `elements` (row-major, one per element
  // of `shape`). kString elements must be valid UTF-8; InvalidArgument names the first
  // one that is not.
  static Result<TensorPtr> FromStrings(DataType dtype, Shape shape,
                                       const std::vector<std::string_view>& elements);

  // Sub-array `index` along the first dimension (shape[1:]). Fixed-width tensors share
  // this tensor's buffer; string and bytes tensors are copied. InvalidArgument for a 0-d
  // tensor, OutOfRange for an index outside [0, shape[0]).
  Result<TensorPtr> Slice(int64_t index) const;

  // A tensor of one element holding `value`.
  template <typename T>
  static Result<TensorPtr> Scalar(DataType dtype, T value);

  DataType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t num_elements() const { return num_elements_; }
  // Bytes of the buffer this tensor uses (for strings: offsets plus characters).
  int64_t nbytes() const { return nbytes_; }
  const BufferPtr& buffer() const { return buffer_; }

  const uint8_t* data() const { return buffer_->data() + offset_; }
  // nullptr when the buffer is read-only.
  uint8_t* mutable_data() {
    return buffer_->is_mutable() ? buffer_->mutable_data() + offset_ : nullptr;
  }
  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data());
  }

  // Element `index` (row-major) of a kString or kBytes tensor; the view lives as long as
  // the tensor. Must not be called on fixed-width tensors or with an index out of range.
  std::string_view StringAt(int64_t index) const;

  // "Tensor(int32, [2, 3])".
  std::string ToString() const;

 private:
  // Lets the factories use MakeShared (one allocation for tensor and count) while
  // nobody else can call the constructor.
  struct Private {
    explicit Private() = default;
  };

 public:
  Tensor(Private, DataType dtype, Shape shape, int64_t num_elements, int64_t nbytes,
         BufferPtr buffer, int64_t offset = 0)
      : dtype_(dtype), shape_(std::move(shape)), num_elements_(num_elements), nbytes_(nbytes),
        buffer_(std::move(buffer)), offset_(offset) {}

 private:
  DataType dtype_;
  Shape shape_;
  int64_t num_elements_;
  int64_t nbytes_;
  BufferPtr buffer_;
  int64_t offset_;  // of data() in buffer_
};

template <typename T>
Result<TensorPtr> Tensor::Scalar(DataType dtype, T value) {
  if (ElementSize(dtype) != static_cast<int64_t>(sizeof(T))) {
    return Status::InvalidArgument("Tensor::Scalar: a " + std::to_string(sizeof(T)) +
                                   "-byte value does not fit dtype " +
                                   std::string(DataTypeName(dtype)));
  }
  ASSIGN_OR_RETURN(TensorPtr tensor, Create(dtype, {}));
  *reinterpret_cast<T*>(tensor->mutable_data()) = value;
  return tensor;
}

}  // namespace headrace
