#include "headrace/memory/byte_size.h"

#include <gtest/gtest.h>

namespace headrace::memory {
namespace {

TEST(FormatBytesTest, PlainBelowOneKibibyte) {
  EXPECT_EQ(FormatBytes(0), "0 bytes");
  EXPECT_EQ(FormatBytes(1023), "1023 bytes");
  EXPECT_EQ(FormatBytes(-3), "-3 bytes");
}

TEST(FormatBytesTest, BinaryUnitsWithTheExactCount) {
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB (1024 bytes)");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB (1536 bytes)");
  EXPECT_EQ(FormatBytes(64LL << 20), "64.0 MiB (67108864 bytes)");
  EXPECT_EQ(FormatBytes(2LL << 30), "2.0 GiB (2147483648 bytes)");
  EXPECT_EQ(FormatBytes(3LL << 40), "3.0 TiB (3298534883328 bytes)");
}

}  // namespace
}  // namespace headrace::memory
