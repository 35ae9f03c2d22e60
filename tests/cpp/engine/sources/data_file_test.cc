// DataFile: reads at offsets, and errors that name the file.
#include "headrace/engine/sources/data_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace headrace::engine {
namespace {

std::string TempFile(const std::string& contents) {
  char path[] = "/tmp/headrace-data-file-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
  close(fd);
  return path;
}

TEST(DataFileTest, ReadsAtOffsetsAndReportsTruncation) {
  const std::string path = TempFile("0123456789");
  auto file = DataFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->size(), 10);
  uint8_t bytes[8] = {};
  ASSERT_TRUE((*file)->ReadExactlyAt(3, 4, bytes).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(bytes), 4), "3456");
  auto got = (*file)->ReadAt(8, 8, bytes);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 2);
  Status truncated = (*file)->ReadExactlyAt(8, 8, bytes, "record header");
  EXPECT_EQ(truncated.code(), StatusCode::kDataLoss);
  EXPECT_EQ(truncated.message(), path + " is truncated at byte 8: 8 bytes of record header wanted, 2 there");
  std::remove(path.c_str());
}

TEST(DataFileTest, MissingUnreadableAndDirectoryAreNamed) {
  auto missing = DataFile::Open("/tmp/headrace-no-such-file");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/tmp/headrace-no-such-file"), std::string::npos);
  auto directory = DataFile::Open("/tmp");
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(directory.status().message().find("is a directory"), std::string::npos);
  if (geteuid() != 0) {  // root reads anything
    const std::string path = TempFile("x");
    chmod(path.c_str(), 0);
    EXPECT_EQ(DataFile::Open(path).status().code(), StatusCode::kPermissionDenied);
    std::remove(path.c_str());
  }
}

TEST(DataFileTest, ViewsShareOneMappingAndOutliveTheFile) {
  const std::string path = TempFile("0123456789");
  BufferPtr first, second;
  {
    auto a = DataFile::Open(path);
    auto b = DataFile::Open(path);
    ASSERT_TRUE(a.ok() && b.ok());
    auto view_a = (*a)->View(2, 3);
    auto view_b = (*b)->View(0, 10);
    ASSERT_TRUE(view_a.ok() && view_b.ok());
    first = *view_a;
    second = *view_b;
    EXPECT_EQ((*view_b)->data() + 2, (*view_a)->data()) << "one mapping for both files";
    auto past = (*a)->View(8, 4, "record");
    EXPECT_EQ(past.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(past.status().message(), path + " is truncated at byte 8: 4 bytes of record wanted, 2 there");
  }  // the files close; the views keep the mapping
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(first->data()), 3), "234");
  EXPECT_FALSE(first->is_mutable());
  EXPECT_EQ(first->origin(), path);
  std::remove(path.c_str());
  EXPECT_EQ(second->data()[9], '9');
}

TEST(DataFileTest, ReadWholeRecordsTheOrigin) {
  const std::string path = TempFile("abc");
  auto tensor = DataFile::ReadWhole(path);
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ((*tensor)->num_elements(), 3);
  EXPECT_EQ((*tensor)->buffer()->origin(), path);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace headrace::engine
