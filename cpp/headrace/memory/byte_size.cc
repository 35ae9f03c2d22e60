#include "headrace/memory/byte_size.h"

#include <cstdio>

namespace headrace::memory {

std::string FormatBytes(int64_t bytes) {
  const std::string exact = std::to_string(bytes) + " bytes";
  if (bytes < 1024) return exact;
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  // Divide in floating point: one decimal is all a message needs, and int64 fits a double's
  // range (the exact count follows anyway).
  double value = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (value >= 1024.0 && unit + 1 < static_cast<int>(sizeof(kUnits) / sizeof(kUnits[0]))) {
    value /= 1024.0;
    ++unit;
  }
  char human[32];
  std::snprintf(human, sizeof(human), "%.1f %s", value, kUnits[unit]);
  return std::string(human) + " (" + exact + ")";
}

}  // namespace headrace::memory
