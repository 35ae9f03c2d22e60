// CRC32C: known vectors (RFC 3720 B.4 and the classic check value), the hardware and table
// paths agreeing, and TFRecord's mask.
#include "headrace/engine/sources/tfrecord/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace headrace::engine::tfrecord {
namespace {

uint32_t Of(const std::vector<uint8_t>& bytes) { return Crc32c(bytes.data(), bytes.size()); }

TEST(Crc32cTest, KnownVectors) {
  const std::string check = "123456789";
  EXPECT_EQ(Crc32c(reinterpret_cast<const uint8_t*>(check.data()), check.size()), 0xe3069283u);
  EXPECT_EQ(Of(std::vector<uint8_t>(32, 0x00)), 0x8a9136aau);
  EXPECT_EQ(Of(std::vector<uint8_t>(32, 0xff)), 0x62a8ab43u);
  std::vector<uint8_t> ascending(32);
  std::vector<uint8_t> descending(32);
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<uint8_t>(i);
    descending[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(Of(ascending), 0x46dd794eu);
  EXPECT_EQ(Of(descending), 0x113fdb5cu);
  EXPECT_EQ(Crc32c(nullptr, 0), 0u);
}

TEST(Crc32cTest, HardwareAndTableAgreeAtEveryLengthAndSplit) {
  std::mt19937 random(7);
  std::vector<uint8_t> bytes(40000);  // past three 4 KiB streams, several times
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
  for (size_t size : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 999, 1000, 12287, 12288, 12289,
                      24576 + 5, 39999, 40000}) {
    const uint32_t table = Crc32cPortable(bytes.data(), size);
    EXPECT_EQ(Crc32c(bytes.data(), size), table) << size;
    // Continuing from a CRC equals one pass over the whole.
    const size_t half = size / 3;
    EXPECT_EQ(Crc32c(bytes.data() + half, size - half, Crc32c(bytes.data(), half)), table) << size;
    EXPECT_EQ(Crc32cPortable(bytes.data() + half, size - half, Crc32cPortable(bytes.data(), half)),
              table)
        << size;
  }
  // Unaligned starts.
  for (size_t start = 1; start < 8; ++start) {
    EXPECT_EQ(Crc32c(bytes.data() + start, 100), Crc32cPortable(bytes.data() + start, 100));
  }
#if defined(__x86_64__)
  EXPECT_EQ(Crc32cUsesHardware(), static_cast<bool>(__builtin_cpu_supports("sse4.2")));
#endif
}

TEST(Crc32cTest, MaskIsTensorFlows) {
  // TensorFlow's masked CRC of the 8-byte length 0 and of "123456789".
  EXPECT_EQ(MaskCrc(0u), 0xa282ead8u);
  const uint32_t crc = 0xe3069283u;
  EXPECT_EQ(MaskCrc(crc), ((crc >> 15) | (crc << 17)) + 0xa282ead8u);
  const std::vector<uint8_t> zero_length(8, 0);
  EXPECT_EQ(MaskedCrc32c(zero_length.data(), 8), MaskCrc(Crc32c(zero_length.data(), 8)));
}

}  // namespace
}  // namespace headrace::engine::tfrecord
