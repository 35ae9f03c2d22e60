// TFRecordFormat over the files TensorFlow wrote (tests/data/record-files/tfrecord): every
// value of every row equals rows.json, GZIP reads as plain, the columns MindSpore infers,
// columns_list, CountRows and SkipRows.
#include "headrace/engine/sources/tfrecord/tfrecord_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "test_records.h"

namespace headrace::engine::tfrecord {
namespace {

const std::string kDir = std::string(HEADRACE_TEST_DATA) + "/record-files/";

std::string Base64Decode(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<uint32_t>(alphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

nlohmann::json Rows() {
  std::ifstream in(kDir + "rows.json");
  return nlohmann::json::parse(in);
}

std::vector<TensorRow> ReadFile(const TFRecordFormat& format, const std::string& path,
                                int64_t per_call = 7) {
  std::vector<TensorRow> rows;
  auto reader = format.Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  bool end = false;
  while (!end) {
    RowBlock block;
    Status status = (*reader)->ReadRows(per_call, &block, &end);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok()) break;
    for (TensorRow& row : block) rows.push_back(std::move(row));
  }
  return rows;
}

std::shared_ptr<TFRecordFormat> Inferred(Compression compression, const std::string& file,
                                         std::vector<std::string> columns_list = {}) {
  auto format = TFRecordFormat::Make({}, columns_list, compression, file);
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  return format.ok() ? *format : nullptr;
}

// Row `row` (the MindSpore column set: data, id, label, name, score, vec) equals rows.json[id].
void ExpectRow(const TensorRow& row, const nlohmann::json& expected) {
  ASSERT_EQ(row.size(), 6u);
  const std::string data = Base64Decode(expected["data_b64"].get<std::string>());
  EXPECT_EQ(row[0]->dtype(), DataType::kUInt8);
  EXPECT_EQ(row[0]->shape(), (Shape{static_cast<int64_t>(data.size())}));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(row[0]->data()), data.size()), data);
  EXPECT_EQ(row[1]->dtype(), DataType::kInt64);
  EXPECT_EQ(row[1]->shape(), (Shape{1}));
  EXPECT_EQ(row[1]->data_as<int64_t>()[0], expected["id"].get<int64_t>());
  EXPECT_EQ(row[2]->data_as<int64_t>()[0], expected["label"].get<int64_t>());
  const std::string name = expected["name"].get<std::string>();
  EXPECT_EQ(row[3]->dtype(), DataType::kUInt8);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(row[3]->data()), row[3]->num_elements()), name);
  EXPECT_EQ(row[4]->dtype(), DataType::kFloat32);
  EXPECT_EQ(row[4]->shape(), (Shape{1}));
  EXPECT_EQ(row[4]->data_as<float>()[0], expected["score"].get<float>());
  EXPECT_EQ(row[5]->shape(), (Shape{4}));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(row[5]->data_as<float>()[i], expected["vec"][i].get<float>());
}

TEST(TFRecordFormatTest, EveryRowOfTensorFlowsFilesEqualsRowsJson) {
  const nlohmann::json rows = Rows();
  ASSERT_EQ(rows.size(), 40u);
  auto format = Inferred(Compression::kNone, kDir + "tfrecord/sample-0.tfrecord");
  ASSERT_NE(format, nullptr);
  EXPECT_EQ(format->column_names(),
            (std::vector<std::string>{"data", "id", "label", "name", "score", "vec"}));
  EXPECT_EQ(format->name(), "TFRecord");
  int64_t id = 0;
  for (const char* file : {"sample-0.tfrecord", "sample-1.tfrecord"}) {
    const std::vector<TensorRow> got = ReadFile(*format, kDir + "tfrecord/" + file);
    ASSERT_EQ(got.size(), 20u) << file;
    for (const TensorRow& row : got) {
      SCOPED_TRACE(id);
      ExpectRow(row, rows[static_cast<size_t>(id++)]);
    }
    auto count = format->CountRows(kDir + "tfrecord/" + file);
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, 20);
  }
}

TEST(TFRecordFormatTest, GzipReadsAsPlainAndZlibToo) {
  const nlohmann::json rows = Rows();
  const std::string gzip = kDir + "tfrecord/sample-gzip.tfrecord.gz";
  auto format = Inferred(Compression::kGzip, gzip);
  ASSERT_NE(format, nullptr);
  const std::vector<TensorRow> got = ReadFile(*format, gzip);
  ASSERT_EQ(got.size(), 10u);
  for (size_t i = 0; i < got.size(); ++i) ExpectRow(got[i], rows[i]);
  auto count = format->CountRows(gzip);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 10);

  // The same plain file deflated as ZLIB reads the same rows.
  std::ifstream in(kDir + "tfrecord/sample-1.tfrecord", std::ios::binary);
  const std::string plain((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  testing::TempFile zlib(testing::Deflate(plain, false));
  auto zlib_format = Inferred(Compression::kZlib, zlib.path());
  ASSERT_NE(zlib_format, nullptr);
  const std::vector<TensorRow> zlib_rows = ReadFile(*zlib_format, zlib.path());
  ASSERT_EQ(zlib_rows.size(), 20u);
  for (size_t i = 0; i < zlib_rows.size(); ++i) ExpectRow(zlib_rows[i], rows[20 + i]);
}

TEST(TFRecordFormatTest, ColumnsListAndSchema) {
  const std::string file = kDir + "tfrecord/sample-1.tfrecord";
  auto picked = Inferred(Compression::kNone, file, {"vec", "id"});
  ASSERT_NE(picked, nullptr);
  EXPECT_EQ(picked->column_names(), (std::vector<std::string>{"vec", "id"}));
  const std::vector<TensorRow> rows = ReadFile(*picked, file);
  ASSERT_EQ(rows.size(), 20u);
  EXPECT_EQ(rows[3][1]->data_as<int64_t>()[0], 23);

  auto unknown = TFRecordFormat::Make({}, {"id", "nope"}, Compression::kNone, file);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(),
            "columns_list: 'nope' is not a feature of the first record of " + file +
                "; the columns are ['data', 'id', 'label', 'name', 'score', 'vec']");

  std::vector<ColumnSpec> schema = {{"name", DataType::kString, Shape{}},
                                    {"id", DataType::kInt32, Shape{}},
                                    {"vec", DataType::kFloat32, Shape{2, 2}}};
  auto typed = TFRecordFormat::Make(schema, {}, Compression::kNone);
  ASSERT_TRUE(typed.ok());
  const std::vector<TensorRow> typed_rows = ReadFile(**typed, file);
  ASSERT_EQ(typed_rows.size(), 20u);
  EXPECT_EQ(typed_rows[0][0]->StringAt(0), "row-020");
  EXPECT_EQ(typed_rows[0][1]->data_as<int32_t>()[0], 20);
  EXPECT_EQ(typed_rows[0][2]->shape(), (Shape{2, 2}));
  auto not_in_schema = TFRecordFormat::Make(schema, {"score"}, Compression::kNone);
  EXPECT_EQ(not_in_schema.status().message(),
            "columns_list: 'score' is not a column of the schema; the columns are ['name', 'id', 'vec']");
}

TEST(TFRecordFormatTest, SkipRowsThenReadAndCheckFile) {
  const std::string file = kDir + "tfrecord/sample-0.tfrecord";
  auto format = Inferred(Compression::kNone, file, {"id"});
  ASSERT_NE(format, nullptr);
  auto reader = format->Open(file);
  ASSERT_TRUE(reader.ok());
  bool end = false;
  ASSERT_TRUE((*reader)->SkipRows(15, &end).ok());
  EXPECT_FALSE(end);
  RowBlock block;
  ASSERT_TRUE((*reader)->ReadRows(100, &block, &end).ok());
  EXPECT_TRUE(end);
  ASSERT_EQ(block.size(), 5u);
  EXPECT_EQ(block[0][0]->data_as<int64_t>()[0], 15);
  ASSERT_TRUE((*reader)->SkipRows(3, &end).ok());
  EXPECT_TRUE(end);

  EXPECT_TRUE(format->CheckFile(file).ok());
  const std::string gzip = kDir + "tfrecord/sample-gzip.tfrecord.gz";
  Status wrong = format->CheckFile(gzip);
  EXPECT_EQ(wrong.code(), StatusCode::kDataLoss);
  EXPECT_NE(wrong.message().find("compression_type='GZIP'?"), std::string::npos) << wrong.message();
  EXPECT_EQ(format->CheckFile("/tmp/headrace-none.tfrecord").code(), StatusCode::kNotFound);

  testing::TempFile empty("");
  auto from_empty = TFRecordFormat::Make({}, {}, Compression::kNone, empty.path());
  EXPECT_EQ(from_empty.status().message(),
            "cannot take the columns from " + empty.path() + ": it has no records (give a schema)");
  EXPECT_TRUE(ReadFile(*format, empty.path()).empty());
}

TEST(TFRecordFormatTest, PlainFilesOpenAtAnyRowCompressedOnesSkip) {
  const std::string plain = kDir + "tfrecord/sample-1.tfrecord";
  const std::string gzip = kDir + "tfrecord/sample-gzip.tfrecord.gz";
  auto format = Inferred(Compression::kNone, plain, {"id"});
  auto gzipped = Inferred(Compression::kGzip, gzip, {"id"});
  ASSERT_NE(format, nullptr);
  ASSERT_NE(gzipped, nullptr);
  EXPECT_TRUE(format->SeeksRows());
  EXPECT_FALSE(gzipped->SeeksRows());
  for (int64_t first : {0, 1, 7, 19, 20, 25}) {
    for (auto [fmt, path, rows, id0] : {std::tuple{format.get(), plain, 20, 20}, std::tuple{gzipped.get(), gzip, 10, 0}}) {
      auto reader = fmt->OpenAt(path, first);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      RowBlock block;
      bool end = false;
      while (!end) ASSERT_TRUE((*reader)->ReadRows(4, &block, &end).ok());
      ASSERT_EQ(static_cast<int64_t>(block.size()), std::max<int64_t>(0, rows - first)) << path << " from " << first;
      for (size_t i = 0; i < block.size(); ++i) {
        EXPECT_EQ(block[i][0]->data_as<int64_t>()[0], id0 + first + static_cast<int64_t>(i));
      }
    }
  }
  EXPECT_EQ(*format->CountRows(plain), 20);
}

TEST(TFRecordFormatTest, CorruptRecordInTheMiddleStopsWithItsOffset) {
  std::ifstream in(kDir + "tfrecord/sample-0.tfrecord", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The third record's offset, from the first two lengths.
  int64_t offset = 0;
  for (int i = 0; i < 2; ++i) {
    uint64_t length = 0;
    std::memcpy(&length, bytes.data() + offset, 8);
    offset += kHeaderBytes + static_cast<int64_t>(length) + kFooterBytes;
  }
  bytes[static_cast<size_t>(offset + kHeaderBytes + 3)] ^= 0x20;
  testing::TempFile corrupt(bytes);
  auto format = Inferred(Compression::kNone, kDir + "tfrecord/sample-0.tfrecord");
  auto reader = format->Open(corrupt.path());
  ASSERT_TRUE(reader.ok());
  RowBlock block;
  bool end = false;
  // The rows before it come first; the error on the next call.
  ASSERT_TRUE((*reader)->ReadRows(100, &block, &end).ok());
  EXPECT_EQ(block.size(), 2u);
  EXPECT_FALSE(end);
  Status status = (*reader)->ReadRows(100, &block, &end);
  EXPECT_EQ(block.size(), 2u);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(status.message(), corrupt.path() + ": TFRecord record at byte " + std::to_string(offset) +
                                  ": the data's CRC does not match (corrupt data)");
}

}  // namespace
}  // namespace headrace::engine::tfrecord
