#include "headrace/engine/sources/tfrecord/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace headrace::engine::tfrecord {
namespace {

constexpr uint32_t kPolynomial = 0x82f63b78u;  // reflected Castagnoli

// tables[k][b]: the CRC of byte b followed by k zero bytes, for slicing-by-8.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

Tables MakeTables() {
  Tables tables{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1u) ? kPolynomial : 0u);
    tables[0][b] = crc;
  }
  for (uint32_t b = 0; b < 256; ++b) {
    for (size_t k = 1; k < 8; ++k) {
      const uint32_t previous = tables[k - 1][b];
      tables[k][b] = (previous >> 8) ^ tables[0][previous & 0xffu];
    }
  }
  return tables;
}

const Tables& GetTables() {
  static const Tables tables = MakeTables();
  return tables;
}

#if defined(__x86_64__)
// The crc32 instruction takes 3 cycles but starts one per cycle: three independent
// streams over three adjacent blocks keep it busy (about 3x one stream, over 20 GB/s),
// and their CRCs are joined with a table that appends kStride zero bytes to a CRC state.
constexpr size_t kStride = 4096;

// ZeroShift[k][b]: the raw CRC state that byte k of a state being b becomes after kStride
// zero bytes. The map is linear, so a state's four bytes' entries XOR to its image.
using ShiftTables = std::array<std::array<uint32_t, 256>, 4>;

uint32_t RawZeros(uint32_t state, size_t count) {
  const Tables& t = GetTables();
  for (size_t i = 0; i < count; ++i) state = (state >> 8) ^ t[0][state & 0xffu];
  return state;
}

ShiftTables MakeShiftTables() {
  uint32_t basis[32];
  for (int bit = 0; bit < 32; ++bit) basis[bit] = RawZeros(uint32_t{1} << bit, kStride);
  ShiftTables tables{};
  for (int k = 0; k < 4; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      uint32_t image = 0;
      for (int bit = 0; bit < 8; ++bit) {
        if (b & (1u << bit)) image ^= basis[k * 8 + bit];
      }
      tables[static_cast<size_t>(k)][b] = image;
    }
  }
  return tables;
}

uint32_t ShiftByStride(uint32_t state) {
  static const ShiftTables tables = MakeShiftTables();
  return tables[0][state & 0xffu] ^ tables[1][(state >> 8) & 0xffu] ^
         tables[2][(state >> 16) & 0xffu] ^ tables[3][state >> 24];
}

__attribute__((target("sse4.2"))) uint32_t Crc32cHardware(const uint8_t* data, size_t size,
                                                           uint32_t crc) {
  uint64_t state = ~crc;
  while (size >= 3 * kStride) {
    uint64_t a = state;
    uint64_t b = 0;
    uint64_t c = 0;
    for (size_t i = 0; i < kStride; i += 8) {
      uint64_t wa;
      uint64_t wb;
      uint64_t wc;
      std::memcpy(&wa, data + i, 8);
      std::memcpy(&wb, data + kStride + i, 8);
      std::memcpy(&wc, data + 2 * kStride + i, 8);
      a = _mm_crc32_u64(a, wa);
      b = _mm_crc32_u64(b, wb);
      c = _mm_crc32_u64(c, wc);
    }
    // F(s, A B C) = shift(shift(F(s, A)) ^ F(0, B)) ^ F(0, C) on raw states.
    const uint32_t ab = ShiftByStride(static_cast<uint32_t>(a)) ^ static_cast<uint32_t>(b);
    state = ShiftByStride(ab) ^ static_cast<uint32_t>(c);
    data += 3 * kStride;
    size -= 3 * kStride;
  }
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    state = _mm_crc32_u64(state, word);
    data += 8;
    size -= 8;
  }
  uint32_t state32 = static_cast<uint32_t>(state);
  while (size > 0) {
    state32 = _mm_crc32_u8(state32, *data);
    ++data;
    --size;
  }
  return ~state32;
}

bool HasSse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

}  // namespace

uint32_t Crc32cPortable(const uint8_t* data, size_t size, uint32_t crc) {
  const Tables& t = GetTables();
  uint32_t state = ~crc;
  while (size >= 8) {
    uint32_t low;
    uint32_t high;
    std::memcpy(&low, data, 4);  // little-endian loads: x86 and arm64 Linux
    std::memcpy(&high, data + 4, 4);
    low ^= state;
    state = t[7][low & 0xffu] ^ t[6][(low >> 8) & 0xffu] ^ t[5][(low >> 16) & 0xffu] ^
            t[4][low >> 24] ^ t[3][high & 0xffu] ^ t[2][(high >> 8) & 0xffu] ^
            t[1][(high >> 16) & 0xffu] ^ t[0][high >> 24];
    data += 8;
    size -= 8;
  }
  while (size > 0) {
    state = (state >> 8) ^ t[0][(state ^ *data) & 0xffu];
    ++data;
    --size;
  }
  return ~state;
}

bool Crc32cUsesHardware() {
#if defined(__x86_64__)
  return HasSse42();
#else
  return false;
#endif
}

uint32_t Crc32c(const uint8_t* data, size_t size, uint32_t crc) {
#if defined(__x86_64__)
  if (HasSse42()) return Crc32cHardware(data, size, crc);
#endif
  return Crc32cPortable(data, size, crc);
}

}  // namespace headrace::engine::tfrecord
