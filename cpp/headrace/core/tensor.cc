#include "headrace/core/tensor.h"

#include <cstring>
#include <limits>

#include "headrace/core/row_memory.h"
#include "headrace/core/utf8.h"

namespace headrace {

Result<int64_t> NumElements(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) {
      return Status::InvalidArgument("shape " + ShapeToString(shape) +
                                     " has a negative dimension");
    }
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim) {
      return Status::InvalidArgument("shape " + ShapeToString(shape) + " is too large");
    }
    count *= dim;
  }
  return count;
}

Result<int64_t> NumBytes(DataType dtype, const Shape& shape) {
  ASSIGN_OR_RETURN(int64_t count, NumElements(shape));
  const int64_t size = ElementSize(dtype);
  if (size > 0 && count > std::numeric_limits<int64_t>::max() / size) {
    return Status::InvalidArgument("a " + std::string(DataTypeName(dtype)) + " tensor of shape " +
                                   ShapeToString(shape) + " is too large");
  }
  return count * size;
}

namespace {

Status RequireFixedWidth(DataType dtype, const char* what) {
  if (!IsFixedWidth(dtype)) {
    return Status::InvalidArgument(std::string(what) + " needs a fixed-width dtype, got " +
                                   std::string(DataTypeName(dtype)));
  }
  return Status::OK();
}

}  // namespace

Result<TensorPtr> Tensor::Create(DataType dtype, Shape shape) {
  RETURN_IF_ERROR(RequireFixedWidth(dtype, "Tensor::Create"));
  ASSIGN_OR_RETURN(int64_t count, NumElements(shape));
  ASSIGN_OR_RETURN(int64_t nbytes, NumBytes(dtype, shape));
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(nbytes));
  return MakeShared<Tensor>(Private(), dtype, std::move(shape), count, nbytes, std::move(buffer));
}

Result<TensorPtr> Tensor::FromBuffer(DataType dtype, Shape shape, BufferPtr buffer) {
  RETURN_IF_ERROR(RequireFixedWidth(dtype, "Tensor::FromBuffer"));
  if (buffer == nullptr) return Status::InvalidArgument("Tensor::FromBuffer: buffer is null");
  ASSIGN_OR_RETURN(int64_t count, NumElements(shape));
  ASSIGN_OR_RETURN(int64_t nbytes, NumBytes(dtype, shape));
  if (buffer->size() < nbytes) {
    return Status::InvalidArgument("Tensor::FromBuffer: a " + std::string(DataTypeName(dtype)) +
                                   " tensor of shape " + ShapeToString(shape) + " needs " +
                                   std::to_string(nbytes) + " bytes, the buffer has " +
                                   std::to_string(buffer->size()));
  }
  return MakeShared<Tensor>(Private(), dtype, std::move(shape), count, nbytes, std::move(buffer));
}

Result<TensorPtr> Tensor::FromStrings(DataType dtype, Shape shape,
                                      const std::vector<std::string_view>& elements) {
  if (dtype != DataType::kString && dtype != DataType::kBytes) {
    return Status::InvalidArgument("Tensor::FromStrings needs dtype string or bytes, got " +
                                   std::string(DataTypeName(dtype)));
  }
  ASSIGN_OR_RETURN(int64_t count, NumElements(shape));
  if (count != static_cast<int64_t>(elements.size())) {
    return Status::InvalidArgument("Tensor::FromStrings: shape " + ShapeToString(shape) +
                                   " has " + std::to_string(count) + " elements, got " +
                                   std::to_string(elements.size()));
  }
  int64_t text_bytes = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (dtype == DataType::kString && !utf8::IsValid(elements[i])) {
      return Status::InvalidArgument("string element " + std::to_string(i) +
                                     " is not valid UTF-8");
    }
    text_bytes += static_cast<int64_t>(elements[i].size());
  }
  const int64_t offsets_bytes = (count + 1) * static_cast<int64_t>(sizeof(uint64_t));
  const int64_t nbytes = offsets_bytes + text_bytes;
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(nbytes));
  auto* offsets = reinterpret_cast<uint64_t*>(buffer->mutable_data());
  uint8_t* text = buffer->mutable_data() + offsets_bytes;
  uint64_t position = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    offsets[i] = position;
    std::memcpy(text + position, elements[i].data(), elements[i].size());
    position += elements[i].size();
  }
  offsets[count] = position;
  return MakeShared<Tensor>(Private(), dtype, std::move(shape), count, nbytes, std::move(buffer));
}

Result<TensorPtr> Tensor::Slice(int64_t index) const {
  if (shape_.empty()) return Status::InvalidArgument("cannot slice a 0-d tensor");
  if (index < 0 || index >= shape_[0]) {
    return Status::OutOfRange("index " + std::to_string(index) + " is out of range for " +
                              ToString());
  }
  Shape inner(shape_.begin() + 1, shape_.end());
  const int64_t count = shape_[0] == 0 ? 0 : num_elements_ / shape_[0];
  if (IsFixedWidth(dtype_)) {
    const int64_t bytes = count * ElementSize(dtype_);
    return MakeShared<Tensor>(Private(), dtype_, std::move(inner), count, bytes, buffer_,
                                    offset_ + index * bytes);
  }
  std::vector<std::string_view> elements(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) elements[i] = StringAt(index * count + i);
  return FromStrings(dtype_, std::move(inner), elements);
}

std::string_view Tensor::StringAt(int64_t index) const {
  const auto* offsets = reinterpret_cast<const uint64_t*>(data());
  const auto* text = reinterpret_cast<const char*>(data() + (num_elements_ + 1) * sizeof(uint64_t));
  return std::string_view(text + offsets[index], offsets[index + 1] - offsets[index]);
}

std::string Tensor::ToString() const {
  return "Tensor(" + std::string(DataTypeName(dtype_)) + ", " + ShapeToString(shape_) + ")";
}

}  // namespace headrace
