// CRC32C (Castagnoli, the polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum of
// TFRecord framing, and its "masked" form that TFRecord stores.
//
// Written here rather than taken from a library: Debian's libraries either compute plain
// CRC32 (zlib's crc32) or bring a whole framework for it (abseil's crc, leveldb, rocksdb);
// the function is short. It uses the SSE4.2 crc32 instruction when the CPU has it (checked
// once at run time; three interleaved streams, over 20 GB/s) and a slicing-by-8 table
// otherwise. Thread safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace headrace::engine::tfrecord {

// CRC32C of `size` bytes, continuing from `crc` (0 to start).
uint32_t Crc32c(const uint8_t* data, size_t size, uint32_t crc = 0);

// TFRecord's masked CRC: rotated right by 15 bits plus a constant, so that a CRC computed
// over bytes that contain CRCs does not degenerate.
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

inline uint32_t MaskedCrc32c(const uint8_t* data, size_t size) {
  return MaskCrc(Crc32c(data, size));
}

// True when Crc32c uses the SSE4.2 instruction (for the test that checks both paths).
bool Crc32cUsesHardware();

// The table path alone, so that a test compares it with the hardware one.
uint32_t Crc32cPortable(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace headrace::engine::tfrecord
