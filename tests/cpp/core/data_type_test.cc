#include "headrace/core/data_type.h"

#include <gtest/gtest.h>

namespace headrace {
namespace {

TEST(DataTypeTest, NamesAndSizesMatchNumpy) {
  struct Expected {
    DataType type;
    const char* name;
    int64_t size;
  };
  const Expected all[] = {
      {DataType::kBool, "bool", 1},       {DataType::kInt8, "int8", 1},
      {DataType::kInt16, "int16", 2},     {DataType::kInt32, "int32", 4},
      {DataType::kInt64, "int64", 8},     {DataType::kUInt8, "uint8", 1},
      {DataType::kUInt16, "uint16", 2},   {DataType::kUInt32, "uint32", 4},
      {DataType::kUInt64, "uint64", 8},   {DataType::kFloat16, "float16", 2},
      {DataType::kFloat32, "float32", 4}, {DataType::kFloat64, "float64", 8},
      {DataType::kString, "string", 0},   {DataType::kBytes, "bytes", 0},
  };
  for (const Expected& e : all) {
    EXPECT_EQ(DataTypeName(e.type), e.name);
    EXPECT_EQ(ElementSize(e.type), e.size) << e.name;
    EXPECT_EQ(IsFixedWidth(e.type), e.size > 0) << e.name;
    Result<DataType> parsed = DataTypeFromName(e.name);
    ASSERT_TRUE(parsed.ok()) << e.name;
    EXPECT_EQ(*parsed, e.type);
  }
}

TEST(DataTypeTest, UnknownNameIsAnInvalidArgumentNamingIt) {
  Result<DataType> parsed = DataTypeFromName("complex64");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("'complex64'"), std::string::npos);
}

}  // namespace
}  // namespace headrace
