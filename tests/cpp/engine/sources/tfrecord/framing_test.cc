// TFRecord framing: records of every size through the chunk and their own buffers, skips,
// plain and compressed streams, and DataLoss naming the file and offset for each way a
// file can be damaged.
#include "headrace/engine/sources/tfrecord/tfrecord_framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_records.h"
#include "headrace/engine/sources/tfrecord/tfrecord_format.h"

namespace headrace::engine::tfrecord {
namespace {

using testing::Deflate;
using testing::Frame;
using testing::FrameAll;
using testing::TempFile;

std::string Pattern(size_t size, int seed) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + seed * 7) & 0xff);
  return out;
}

// Sizes on both sides of the own-buffer threshold and of the 1 MiB chunk.
std::vector<std::string> MixedRecords() {
  const int64_t big = FramingReader::kOwnBufferBytes;
  std::vector<std::string> records;
  int seed = 0;
  for (int64_t size : {int64_t{0}, int64_t{1}, int64_t{100}, big - 1, big, big + 1, int64_t{5},
                       int64_t{3} << 20, int64_t{300} << 10, int64_t{300} << 10, int64_t{7}}) {
    records.push_back(Pattern(static_cast<size_t>(size), seed++));
  }
  for (int i = 0; i < 2000; ++i) records.push_back(Pattern(700, seed++));  // several chunks
  records.push_back(Pattern(200 << 10, seed++));
  return records;
}

struct ReadBack {
  std::vector<std::string> records;
  std::vector<int64_t> offsets;
  int own_buffers = 0;
};

ReadBack ReadAll(const std::string& path, Compression compression) {
  ReadBack out;
  auto framing = OpenFraming(path, compression);
  EXPECT_TRUE(framing.ok()) << framing.status().ToString();
  if (!framing.ok()) return out;
  while (true) {
    Record record;
    bool end = false;
    Status status = (*framing)->Next(&record, &end);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || end) break;
    out.records.emplace_back(reinterpret_cast<const char*>(record.data), record.size);
    out.offsets.push_back(record.offset);
    if (record.owner != nullptr) {
      ++out.own_buffers;
      EXPECT_EQ(record.data, record.owner->data());
      EXPECT_GE(record.size, FramingReader::kOwnBufferBytes);
    }
  }
  return out;
}

std::vector<int64_t> OffsetsOf(const std::vector<std::string>& records) {
  std::vector<int64_t> offsets;
  int64_t at = 0;
  for (const std::string& record : records) {
    offsets.push_back(at);
    at += kHeaderBytes + static_cast<int64_t>(record.size()) + kFooterBytes;
  }
  return offsets;
}

TEST(FramingTest, ReadsRecordsOfEverySizePlainGzipAndZlib) {
  const std::vector<std::string> records = MixedRecords();
  const std::string plain = FrameAll(records);
  for (Compression compression : {Compression::kNone, Compression::kGzip, Compression::kZlib}) {
    SCOPED_TRACE(CompressionName(compression));
    const std::string contents = compression == Compression::kNone
                                     ? plain
                                     : Deflate(plain, compression == Compression::kGzip);
    TempFile file(contents);
    ReadBack back = ReadAll(file.path(), compression);
    ASSERT_EQ(back.records.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) ASSERT_EQ(back.records[i], records[i]) << i;
    EXPECT_EQ(back.offsets, OffsetsOf(records));
    EXPECT_EQ(back.own_buffers, 6);  // 64 KiB, +1, 3 MiB, 300 KiB twice, 200 KiB; not 64 KiB - 1
  }
}

TEST(FramingTest, SkipChecksHeadersAndCountsRecords) {
  const std::vector<std::string> records = MixedRecords();
  const std::string plain = FrameAll(records);
  auto format = TFRecordFormat::Make({{"x", DataType::kUInt8, std::nullopt}}, {}, Compression::kNone);
  ASSERT_TRUE(format.ok());
  TempFile file(plain);
  auto rows = (*format)->CountRows(file.path());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, static_cast<int64_t>(records.size()));

  // Skipping some records then reading gives the records after them.
  auto framing = OpenFraming(file.path(), Compression::kNone);
  ASSERT_TRUE(framing.ok());
  bool end = false;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE((*framing)->Skip(&end).ok());
  Record record;
  ASSERT_TRUE((*framing)->Next(&record, &end).ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(record.data), record.size), records[9]);
  EXPECT_EQ(record.offset, OffsetsOf(records)[9]);

  auto gzip_format = TFRecordFormat::Make({{"x", DataType::kUInt8, std::nullopt}}, {}, Compression::kGzip);
  ASSERT_TRUE(gzip_format.ok());
  TempFile gzip(Deflate(plain, true));
  auto gzip_rows = (*gzip_format)->CountRows(gzip.path());
  ASSERT_TRUE(gzip_rows.ok()) << gzip_rows.status().ToString();
  EXPECT_EQ(*gzip_rows, static_cast<int64_t>(records.size()));
}

TEST(FramingTest, EmptyFileHasNoRecordsAndConcatenatedGzipMembersAreOneStream) {
  TempFile empty("");
  EXPECT_TRUE(ReadAll(empty.path(), Compression::kNone).records.empty());
  TempFile empty_gzip("");
  EXPECT_TRUE(ReadAll(empty_gzip.path(), Compression::kGzip).records.empty());
  TempFile members(Deflate(Frame("first"), true) + Deflate(Frame("second"), true));
  EXPECT_EQ(ReadAll(members.path(), Compression::kGzip).records,
            (std::vector<std::string>{"first", "second"}));
}

// The first error reading `contents` to the end, as `compression`.
Status FirstError(const std::string& contents, Compression compression, std::string* path) {
  TempFile file(contents);
  *path = file.path();
  auto framing = OpenFraming(file.path(), compression);
  if (!framing.ok()) return framing.status();
  while (true) {
    Record record;
    bool end = false;
    Status status = (*framing)->Next(&record, &end);
    if (!status.ok() || end) return status;
  }
}

TEST(FramingTest, DamageIsDataLossNamingFileAndOffset) {
  const std::string a = Frame(Pattern(50, 1));
  const std::string b = Frame(Pattern(100 << 10, 2));  // its own buffer
  const std::string c = Frame(Pattern(30, 3));
  const std::string plain = a + b + c;
  const int64_t at_b = static_cast<int64_t>(a.size());
  const int64_t at_c = at_b + static_cast<int64_t>(b.size());
  std::string path;

  struct Case {
    std::string contents;
    std::string expected;  // after "<path>: "
  };
  std::vector<Case> cases;
  std::string corrupt_small = plain;
  corrupt_small[kHeaderBytes + 10] ^= 0x01;
  cases.push_back({corrupt_small, "TFRecord record at byte 0: the data's CRC does not match (corrupt data)"});
  std::string corrupt_large = plain;
  corrupt_large[at_b + kHeaderBytes + 70000] ^= 0x40;
  cases.push_back({corrupt_large, "TFRecord record at byte " + std::to_string(at_b) +
                                      ": the data's CRC does not match (corrupt data)"});
  std::string corrupt_footer = plain;
  corrupt_footer[at_c - 1] ^= 0x01;
  cases.push_back({corrupt_footer, "TFRecord record at byte " + std::to_string(at_b) +
                                       ": the data's CRC does not match (corrupt data)"});
  std::string corrupt_length = plain;
  corrupt_length[at_c] ^= 0x04;
  cases.push_back({corrupt_length, "TFRecord record at byte " + std::to_string(at_c) +
                                       ": the length's CRC does not match (a corrupt header, or not a TFRecord file)"});
  cases.push_back({plain.substr(0, static_cast<size_t>(at_c) + 5),
                   "TFRecord record at byte " + std::to_string(at_c) +
                       ": the file ends inside the record's header: 12 bytes wanted, 5 there"});
  cases.push_back({plain.substr(0, static_cast<size_t>(at_b) + 5000),
                   "TFRecord record at byte " + std::to_string(at_b) +
                       ": the file ends inside the record: 102404 bytes of data and CRC wanted, 4988 there"});
  cases.push_back({plain.substr(0, plain.size() - 2),
                   "TFRecord record at byte " + std::to_string(at_c) +
                       ": the file ends inside the record: 34 bytes of data and CRC wanted, 32 there"});
  // A length over 2 GiB whose CRC is right.
  const std::string huge = testing::Little(uint64_t{1} << 40, 8);
  cases.push_back({a + huge + testing::Little(testing::Masked(huge), 4),
                   "TFRecord record at byte " + std::to_string(at_b) +
                       ": bad length 1099511627776 (over 2 GiB)"});
  for (const Case& test : cases) {
    Status status = FirstError(test.contents, Compression::kNone, &path);
    EXPECT_EQ(status.code(), StatusCode::kDataLoss) << test.expected;
    EXPECT_EQ(status.message(), path + ": " + test.expected);
  }

  // Compressed: offsets are in the inflated stream, and the message says so.
  Status in_gzip = FirstError(Deflate(corrupt_large, true), Compression::kGzip, &path);
  EXPECT_EQ(in_gzip.message(), path + ": TFRecord record at byte " + std::to_string(at_b) +
                                   " of the inflated stream: the data's CRC does not match (corrupt data)");
  const std::string gzip = Deflate(plain, true);
  Status cut = FirstError(gzip.substr(0, gzip.size() / 2), Compression::kGzip, &path);
  EXPECT_EQ(cut.code(), StatusCode::kDataLoss);
  EXPECT_NE(cut.message().find(path + ": cannot inflate (compression_type 'GZIP') at byte "), std::string::npos)
      << cut.message();
  EXPECT_NE(cut.message().find("the file ends inside the compressed data"), std::string::npos);
}

TEST(FramingTest, WrongCompressionTypeIsNamed) {
  const std::string plain = FrameAll({"abc", "defg"});
  std::string path;
  Status gzip_as_plain = FirstError(Deflate(plain, true), Compression::kNone, &path);
  EXPECT_EQ(gzip_as_plain.message(),
            path + ": TFRecord record at byte 0: the length's CRC does not match (a corrupt header, "
                   "or not a TFRecord file; it starts as a GZIP file does: compression_type='GZIP'?)");
  Status plain_as_gzip = FirstError(plain, Compression::kGzip, &path);
  EXPECT_EQ(plain_as_gzip.code(), StatusCode::kDataLoss);
  EXPECT_EQ(plain_as_gzip.message(), path + ": cannot inflate (compression_type 'GZIP') at byte 2 "
                                            "of the file: incorrect header check");
  Status gzip_as_zlib = FirstError(Deflate(plain, true), Compression::kZlib, &path);
  EXPECT_EQ(gzip_as_zlib.message(), path + ": cannot inflate (compression_type 'ZLIB') at byte 2 "
                                           "of the file: incorrect header check");
  Status missing = FirstError("", Compression::kNone, &path);
  EXPECT_TRUE(missing.ok());
  auto none = OpenFraming("/tmp/headrace-no-such.tfrecord", Compression::kNone);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("/tmp/headrace-no-such.tfrecord"), std::string::npos);
}

}  // namespace
}  // namespace headrace::engine::tfrecord
