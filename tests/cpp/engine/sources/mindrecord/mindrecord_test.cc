// The MindRecord reader against files MindSpore 2.10 wrote (tests/data), the writer's round
// trip, the blob codec and the FILES / INFILE sampler.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "headrace/engine/samplers/file_block_sampler.h"
#include "headrace/engine/sources/mindrecord/mindrecord_blob.h"
#include "headrace/engine/sources/mindrecord/mindrecord_source.h"
#include "headrace/engine/sources/mindrecord/mindrecord_writer.h"

namespace headrace::engine {
namespace {

const std::string kFixtures = std::string(HEADRACE_TEST_DATA) + "/record-files/mindrecord/";
const std::string kData = std::string(HEADRACE_TEST_DATA) + "/mindrecord/";

int64_t Int(const TensorPtr& tensor) {
  return tensor->dtype() == DataType::kInt32 ? *tensor->data_as<int32_t>() : *tensor->data_as<int64_t>();
}

TEST(MindRecordSourceTest, ReadsMindSporeFilesInMindSporeOrder) {
  auto source = MindRecordSource::Open({kFixtures + "sample.mindrecord0", kFixtures + "sample.mindrecord1"}, {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const auto& mind = *source;
  EXPECT_EQ(mind->size(), 40);
  EXPECT_EQ(mind->column_names(), (std::vector<std::string>{"data", "id", "label", "name", "score", "vec"}));
  const std::vector<int64_t> expected = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 25,
                                         26, 27, 28, 29, 30, 31, 13, 14, 15, 16, 17, 18, 19, 20,
                                         21, 22, 23, 24, 32, 33, 34, 35, 36, 37, 38, 39};
  for (int64_t i = 0; i < 40; ++i) {
    TensorRow row;
    ASSERT_TRUE(mind->Get(i, &row).ok());
    const auto& columns = row.columns();
    ASSERT_EQ(columns.size(), 6u);
    EXPECT_EQ(Int(columns[1]), expected[static_cast<size_t>(i)]);
    EXPECT_EQ(columns[2]->dtype(), DataType::kInt32);
    EXPECT_EQ(Int(columns[2]), expected[static_cast<size_t>(i)] % 5);
    EXPECT_EQ(columns[3]->StringAt(0), "row-0" + std::string(expected[static_cast<size_t>(i)] < 10 ? "0" : "") +
                                           std::to_string(expected[static_cast<size_t>(i)]));
    EXPECT_EQ(columns[0]->dtype(), DataType::kUInt8);
    EXPECT_EQ(columns[5]->shape(), (Shape{4}));
  }
  // Row 0's bytes: "qUEGoJVqJq+8za/lYvkKlF9Wk8ZCJ2o=" in rows.json.
  TensorRow row;
  ASSERT_TRUE(mind->Get(0, &row).ok());
  EXPECT_EQ(row.columns()[0]->num_elements(), 23);
  EXPECT_EQ(row.columns()[0]->data()[0], 0xA9);
  EXPECT_EQ(row.columns()[0]->buffer()->origin(), kFixtures + "sample.mindrecord0");
}

TEST(MindRecordSourceTest, BlocksReadRunsOfRowsAsGetReadsEachRow) {
  auto source = MindRecordSource::Open({kData + "pages.mindrecord0", kData + "pages.mindrecord1"}, {"data", "id"});
  ASSERT_TRUE(source.ok());
  // Runs within a page, across pages and files, a gap, and a repeated row.
  const std::vector<int64_t> indices = {0, 1, 2, 17, 18, 19, 20, 21, 28, 29, 30, 31, 5, 5, 59};
  RowBlock block;
  ASSERT_TRUE((*source)->GetBlock(indices.data(), indices.size(), &block).ok());
  ASSERT_EQ(block.size(), indices.size());
  for (size_t k = 0; k < indices.size(); ++k) {
    TensorRow row;
    ASSERT_TRUE((*source)->Get(indices[k], &row).ok());
    EXPECT_EQ(block[k].id(), indices[k]);
    const TensorPtr& got = block[k].columns()[0];
    const TensorPtr& want = row.columns()[0];
    ASSERT_EQ(got->num_elements(), want->num_elements());
    EXPECT_EQ(std::memcmp(got->data(), want->data(), static_cast<size_t>(want->num_elements())), 0);
    EXPECT_EQ(Int(block[k].columns()[1]), Int(row.columns()[1]));
    EXPECT_EQ(got->buffer()->origin(), want->buffer()->origin());
  }
}

TEST(MindRecordSourceTest, ColumnsListPicksAndOrders) {
  auto source = MindRecordSource::Open({kFixtures + "sample.mindrecord1"}, {"name", "id"});
  ASSERT_TRUE(source.ok());
  TensorRow row;
  ASSERT_TRUE((*source)->Get(0, &row).ok());
  EXPECT_EQ(row.columns()[0]->StringAt(0), "row-013");
  EXPECT_EQ(Int(row.columns()[1]), 13);
  auto missing = MindRecordSource::Open({kFixtures + "sample.mindrecord1"}, {"nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("column 'nope' is not in"), std::string::npos);
  EXPECT_NE(missing.status().message().find("[data, id, label, name, score, vec]"), std::string::npos);
}

TEST(MindRecordSourceTest, FindsSiblingsFromOneFile) {
  auto files = MindRecordSource::SiblingFiles(kFixtures + "sample.mindrecord1");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, (std::vector<std::string>{kFixtures + "sample.mindrecord0", kFixtures + "sample.mindrecord1"}));
}

TEST(MindRecordSourceTest, ReadsSeveralPagesAndCompressedIntegers) {
  auto pages = MindRecordSource::Open({kData + "pages.mindrecord0", kData + "pages.mindrecord1"}, {"id", "data"});
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ((*pages)->size(), 60);
  EXPECT_EQ((*pages)->file_rows(), (std::vector<int64_t>{30, 30}));
  std::set<int64_t> seen;
  for (int64_t i = 0; i < 60; ++i) {
    TensorRow row;
    ASSERT_TRUE((*pages)->Get(i, &row).ok());
    const int64_t id = Int(row.columns()[0]);
    seen.insert(id);
    EXPECT_EQ(row.columns()[1]->num_elements(), 500 + (id * 397) % 2500);
    EXPECT_EQ(row.columns()[1]->data()[3], static_cast<uint8_t>((id * 7 + 3) % 256));
  }
  EXPECT_EQ(seen.size(), 60u);
  auto types = MindRecordSource::Open({kData + "types.mindrecord"}, {"ai64", "i32", "af64"});
  ASSERT_TRUE(types.ok()) << types.status().ToString();
  TensorRow row;
  ASSERT_TRUE((*types)->Get(5, &row).ok());
  EXPECT_EQ(row.columns()[0]->shape(), (Shape{2, 3}));
  const int64_t* ai64 = row.columns()[0]->data_as<int64_t>();
  EXPECT_EQ(ai64[1], -5);
  EXPECT_EQ(ai64[2], (int64_t{1} << 40) + 5);
  EXPECT_EQ(ai64[3], -(int64_t{1} << 50));
  EXPECT_EQ(Int(row.columns()[1]), (5 * 1000003) % 70000 - 35000);
  EXPECT_EQ(row.columns()[2]->shape(), (Shape{2}));
}

TEST(MindRecordSourceTest, TruncatedAndCorruptFilesNameFileAndOffset) {
  const std::string dir = testing::TempDir() + "/mindrecord_bad";
  std::filesystem::create_directories(dir);
  const std::string cut = dir + "/cut.mindrecord";
  std::filesystem::copy_file(kFixtures + "sample.mindrecord0", cut, std::filesystem::copy_options::overwrite_existing);
  ASSERT_EQ(truncate(cut.c_str(), 70000), 0);
  auto truncated = MindRecordSource::Open({cut}, {});
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(truncated.status().message().find(cut + " is truncated at byte"), std::string::npos)
      << truncated.status().message();
  const std::string junk = dir + "/junk.mindrecord";
  FILE* out = fopen(junk.c_str(), "wb");
  fputs("\x10\x00\x00\x00\x00\x00\x00\x00not json at all!", out);
  fclose(out);
  auto bad = MindRecordSource::Open({junk}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(junk + " is not a MindRecord file"), std::string::npos);
}

TEST(MindRecordBlobTest, IntegersRoundTripThroughCompression) {
  const std::vector<int64_t> values = {0, -1, 127, -128, 300, -40000, int64_t{1} << 40, INT64_MIN};
  const std::string raw(reinterpret_cast<const char*>(values.data()), values.size() * 8);
  const std::string packed = mindrecord::CompressIntegers(raw, 8);
  EXPECT_EQ(packed.size(), 4 + 2 + (1 + 1 + 1 + 1 + 2 + 4 + 8 + 8));
  std::vector<uint8_t> back;
  ASSERT_TRUE(mindrecord::DecompressIntegers(packed, 8, "test", &back).ok());
  EXPECT_EQ(std::memcmp(back.data(), values.data(), raw.size()), 0);
}

TEST(MindRecordWriterTest, RoundTripOverShardsAndPages) {
  const std::string dir = testing::TempDir() + "/mindrecord_write";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto schema = MindRecordHeader::FromSchema(
      R"({"id": {"type": "int64"}, "data": {"type": "bytes"}, "v": {"type": "int32", "shape": [-1]}})", "t");
  ASSERT_TRUE(schema.ok());
  schema->header_size = 1 << 14;
  schema->page_size = 1 << 15;
  auto writer = MindRecordWriter::Create({dir + "/w0", dir + "/w1"}, *schema, false);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  std::vector<MindRecordRow> rows;
  for (int64_t i = 0; i < 51; ++i) {
    MindRecordRow row;
    row.scalars.emplace_back("id", i);
    const std::vector<int32_t> v = {static_cast<int32_t>(i), -static_cast<int32_t>(i) * 100000};
    row.blobs.emplace_back(std::string(static_cast<size_t>(2000 + i), static_cast<char>(i)));
    row.blobs.emplace_back(reinterpret_cast<const char*>(v.data()), 8);
    rows.push_back(std::move(row));
  }
  ASSERT_TRUE((*writer)->Write(rows).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  auto again = MindRecordWriter::Create({dir + "/w0"}, *schema, false);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto source = MindRecordSource::Open({dir + "/w0", dir + "/w1"}, {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->file_rows(), (std::vector<int64_t>{26, 25}));
  for (int64_t i = 0; i < 51; ++i) {
    TensorRow row;
    ASSERT_TRUE((*source)->Get(i, &row).ok());
    EXPECT_EQ(Int(row.columns()[1]), i);
    EXPECT_EQ(row.columns()[0]->num_elements(), 2000 + i);
    EXPECT_EQ(row.columns()[2]->data_as<int32_t>()[1], -i * 100000);
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/w1.db"));
}

TEST(FileBlockSamplerTest, FilesAndInFileOrders) {
  FileBlockSampler files(FileBlockSampler::Mode::kFiles, {3, 2, 4}, 1, 0, 0, 7);
  auto order = files.Indices(9, 0);
  ASSERT_TRUE(order.ok());
  // Runs of consecutive rows, each a whole file.
  std::set<int64_t> all(order->begin(), order->end());
  EXPECT_EQ(all.size(), 9u);
  FileBlockSampler infile(FileBlockSampler::Mode::kInFile, {3, 2, 4}, 1, 0, 0, 7);
  auto rows = infile.Indices(10, 0);  // one padded row
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(std::set<int64_t>(rows->begin(), rows->begin() + 3), (std::set<int64_t>{0, 1, 2}));
  EXPECT_EQ(std::set<int64_t>(rows->begin() + 3, rows->begin() + 5), (std::set<int64_t>{3, 4}));
  EXPECT_EQ((*rows)[9], 9);
  FileBlockSampler shard(FileBlockSampler::Mode::kInFile, {3, 2, 4}, 2, 1, 0, 7);
  EXPECT_EQ(shard.PassSize(9), 5);
}

}  // namespace
}  // namespace headrace::engine
