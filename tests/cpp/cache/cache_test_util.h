// Helpers shared by the cache and cache-server tests: a private temporary directory,
// the files in a directory, rows with recognisable contents.
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/tensor.h"
#include "headrace/core/tensor_row.h"

namespace headrace::cache::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents at the end.
class TempDirectory {
 public:
  TempDirectory() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") +
                          "/headrace-test-XXXXXX";
    std::vector<char> path(pattern.begin(), pattern.end());
    path.push_back('\0');
    if (::mkdtemp(path.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern;
    path_ = path.data();
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Names of the entries of `directory` (without "." and ".."); empty if it does not exist.
inline std::set<std::string> FilesIn(const std::string& directory) {
  std::set<std::string> names;
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.insert(name);
  }
  ::closedir(dir);
  return names;
}

inline bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// `size` bytes that depend on `seed`, so that rows can be told apart.
inline std::string Pattern(int64_t seed, int64_t size) {
  std::string bytes(static_cast<size_t>(size), '\0');
  uint64_t x = static_cast<uint64_t>(seed) * 0x9E3779B97F4A7C15ULL + 1;
  for (auto& byte : bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    byte = static_cast<char>(x >> 56);
  }
  return bytes;
}

inline const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// A data row of two columns: int32 values seed, seed+1, ... (`count` of them) and a
// string naming the seed.
inline TensorRow MakeRow(int64_t seed, int64_t count = 16) {
  TensorPtr values = Tensor::Create(DataType::kInt32, {count}).value();
  auto* data = reinterpret_cast<int32_t*>(values->mutable_data());
  for (int64_t i = 0; i < count; ++i) data[i] = static_cast<int32_t>(seed + i);
  const std::string name = "row " + std::to_string(seed);
  TensorPtr text = Tensor::FromStrings(DataType::kString, {1}, {std::string_view(name)}).value();
  TensorColumns columns;
  columns.push_back(values);
  columns.push_back(text);
  return TensorRow(seed, std::move(columns));
}

// Checks that `row` is MakeRow(seed, count) (ids aside).
inline void ExpectRowIs(const TensorRow& row, int64_t seed, int64_t count = 16) {
  ASSERT_EQ(row.size(), 2u) << row.ToString();
  ASSERT_EQ(row[0]->dtype(), DataType::kInt32);
  ASSERT_EQ(row[0]->shape(), Shape({count}));
  const int32_t* data = row[0]->data_as<int32_t>();
  for (int64_t i = 0; i < count; ++i) ASSERT_EQ(data[i], seed + i) << "element " << i;
  ASSERT_EQ(row[1]->dtype(), DataType::kString);
  EXPECT_EQ(row[1]->StringAt(0), "row " + std::to_string(seed));
}

}  // namespace headrace::cache::testing
