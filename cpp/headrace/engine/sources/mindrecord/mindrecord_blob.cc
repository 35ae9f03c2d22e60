#include "headrace/engine/sources/mindrecord/mindrecord_blob.h"

#include <cstring>

namespace headrace::engine::mindrecord {

namespace {

uint64_t ReadBigEndian(const char* bytes, int width) {
  uint64_t value = 0;
  for (int i = 0; i < width; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

void AppendBigEndian(uint64_t value, int width, std::string* out) {
  for (int i = width - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// 0, 1, 2, 3 for a value that fits int8, int16, int32, int64.
int WidthCode(int64_t value) {
  if (value >= INT8_MIN && value <= INT8_MAX) return 0;
  if (value >= INT16_MIN && value <= INT16_MAX) return 1;
  if (value >= INT32_MIN && value <= INT32_MAX) return 2;
  return 3;
}

}  // namespace

Result<std::vector<std::string_view>> SplitBlob(std::string_view blob, size_t count, const std::string& where) {
  std::vector<std::string_view> columns;
  columns.reserve(count);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    if (blob.size() - at < 8) {
      return Status::DataLoss(where + ": the blob ends inside the length of blob column " + std::to_string(i));
    }
    const uint64_t length = ReadBigEndian(blob.data() + at, 8);
    at += 8;
    if (length > blob.size() - at) {
      return Status::DataLoss(where + ": blob column " + std::to_string(i) + " says " + std::to_string(length) +
                              " bytes, " + std::to_string(blob.size() - at) + " are left");
    }
    columns.push_back(blob.substr(at, length));
    at += length;
  }
  return columns;
}

std::string MergeBlob(const std::vector<std::string_view>& columns) {
  if (columns.size() == 1) return std::string(columns[0]);
  size_t total = 0;
  for (std::string_view column : columns) total += 8 + column.size();
  std::string out;
  out.reserve(total);
  for (std::string_view column : columns) {
    AppendBigEndian(column.size(), 8, &out);
    out.append(column);
  }
  return out;
}

std::string CompressIntegers(std::string_view raw, int element_size) {
  const size_t count = raw.size() / static_cast<size_t>(element_size);
  std::string out;
  AppendBigEndian(count, 4, &out);
  const size_t bitmap_at = out.size();
  out.append((count + 3) / 4, '\0');
  for (size_t i = 0; i < count; ++i) {
    int64_t value = 0;
    if (element_size == 4) {
      int32_t v;
      std::memcpy(&v, raw.data() + i * 4, 4);
      value = v;
    } else {
      std::memcpy(&value, raw.data() + i * 8, 8);
    }
    const int code = WidthCode(value);
    out[bitmap_at + i / 4] = static_cast<char>(static_cast<uint8_t>(out[bitmap_at + i / 4]) |
                                               (code << (2 * (3 - i % 4))));
    const auto bits = static_cast<uint64_t>(value);
    for (int b = 0; b < (1 << code); ++b) out.push_back(static_cast<char>((bits >> (8 * b)) & 0xFF));
  }
  return out;
}

Status DecompressIntegers(std::string_view compressed, int element_size, const std::string& where,
                          std::vector<uint8_t>* out) {
  if (compressed.size() < 4) return Status::DataLoss(where + ": a compressed integer array lacks its count");
  const uint64_t count = ReadBigEndian(compressed.data(), 4);
  const size_t bitmap = (count + 3) / 4;
  if (compressed.size() - 4 < bitmap) return Status::DataLoss(where + ": a compressed integer array is cut short");
  size_t at = 4 + bitmap;
  const size_t start = out->size();
  out->resize(start + count * static_cast<size_t>(element_size));
  for (uint64_t i = 0; i < count; ++i) {
    const int code = (static_cast<uint8_t>(compressed[4 + i / 4]) >> (2 * (3 - i % 4))) & 3;
    const size_t width = size_t{1} << code;
    if (compressed.size() - at < width) return Status::DataLoss(where + ": a compressed integer array is cut short");
    uint64_t bits = 0;
    for (size_t b = 0; b < width; ++b) bits |= uint64_t{static_cast<uint8_t>(compressed[at + b])} << (8 * b);
    at += width;
    // Sign-extend from the stored width.
    const int shift = 64 - 8 * static_cast<int>(width);
    const int64_t value = static_cast<int64_t>(bits << shift) >> shift;
    uint8_t* target = out->data() + start + i * static_cast<size_t>(element_size);
    if (element_size == 4) {
      const auto narrow = static_cast<int32_t>(value);
      std::memcpy(target, &narrow, 4);
    } else {
      std::memcpy(target, &value, 8);
    }
  }
  return Status::OK();
}

}  // namespace headrace::engine::mindrecord
