// DataType: the element type of a Tensor.
//
// Fixed-width types map one to one onto NumPy dtypes. kString (UTF-8 text) and kBytes
// (raw bytes) are variable-length: their Tensor stores offsets and bytes (see tensor.h)
// and they come back to NumPy as 'U' and 'S' arrays.
#pragma once

#include <cstdint>
#include <string_view>

#include "headrace/core/result.h"

namespace headrace {

enum class DataType : uint8_t {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat16,
  kFloat32,
  kFloat64,
  kString,
  kBytes,
};

// Bytes per element; 0 for the variable-length kString and kBytes.
int64_t ElementSize(DataType type);

// True for every type but kString and kBytes.
inline bool IsFixedWidth(DataType type) { return ElementSize(type) > 0; }

// The NumPy-style name: "bool", "int8" ... "float64", "string", "bytes".
std::string_view DataTypeName(DataType type);

// The inverse of DataTypeName; InvalidArgument naming `name` if it is not one.
Result<DataType> DataTypeFromName(std::string_view name);

}  // namespace headrace
