#include "headrace/core/data_type.h"

#include <array>
#include <string>

namespace headrace {

namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;
  int64_t size;
};

constexpr std::array<TypeInfo, 14> kTypes = {{
    {DataType::kBool, "bool", 1},
    {DataType::kInt8, "int8", 1},
    {DataType::kInt16, "int16", 2},
    {DataType::kInt32, "int32", 4},
    {DataType::kInt64, "int64", 8},
    {DataType::kUInt8, "uint8", 1},
    {DataType::kUInt16, "uint16", 2},
    {DataType::kUInt32, "uint32", 4},
    {DataType::kUInt64, "uint64", 8},
    {DataType::kFloat16, "float16", 2},
    {DataType::kFloat32, "float32", 4},
    {DataType::kFloat64, "float64", 8},
    {DataType::kString, "string", 0},
    {DataType::kBytes, "bytes", 0},
}};

const TypeInfo& Info(DataType type) { return kTypes[static_cast<size_t>(type)]; }

}  // namespace

int64_t ElementSize(DataType type) { return Info(type).size; }

std::string_view DataTypeName(DataType type) { return Info(type).name; }

Result<DataType> DataTypeFromName(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (info.name == name) return info.type;
  }
  return Status::InvalidArgument("unknown data type '" + std::string(name) +
                                 "'; expected one of bool, int8..int64, uint8..uint64, "
                                 "float16, float32, float64, string, bytes");
}

}  // namespace headrace
