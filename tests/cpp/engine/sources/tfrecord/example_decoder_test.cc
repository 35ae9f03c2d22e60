// The Example wire reader against protobuf's generated parser (packed and unpacked lists,
// merges, unknown fields), and the decoder's mapping of features to tensors by a schema.
#include "headrace/engine/sources/tfrecord/example_decoder.h"
#include "headrace/engine/sources/tfrecord/tfrecord_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "headrace/core/float16.h"
#include "headrace/v1/example.pb.h"
#include "test_records.h"

namespace headrace::engine::tfrecord {
namespace {

// Hand-made wire bytes, for what the generated code does not write (unpacked lists,
// repeated fields, unknown fields).
std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}
std::string Field(int number, int wire_type, const std::string& payload) {
  const std::string tag = Varint(static_cast<uint64_t>(number) << 3 | static_cast<uint64_t>(wire_type));
  return wire_type == 2 ? tag + Varint(payload.size()) + payload : tag + payload;
}
std::string Fixed32(float value) {
  std::string out(4, '\0');
  std::memcpy(out.data(), &value, 4);
  return out;
}
std::string Entry(const std::string& name, const std::string& feature) {
  return Field(1, 2, Field(1, 2, name) + Field(2, 2, feature));
}

std::vector<int64_t> Ints(const ExampleWire& wire, size_t i) {
  size_t count = 0;
  EXPECT_TRUE(wire.CountNumbers(wire.feature(i), &count));
  std::vector<int64_t> values(count);
  EXPECT_TRUE(wire.ReadInt64s(wire.feature(i), values.data()));
  return values;
}
std::vector<float> Floats(const ExampleWire& wire, size_t i) {
  size_t count = 0;
  EXPECT_TRUE(wire.CountNumbers(wire.feature(i), &count));
  std::vector<float> values(count);
  EXPECT_TRUE(wire.ReadFloats(wire.feature(i), values.data()));
  return values;
}
std::vector<std::string> Bytes(const ExampleWire& wire, size_t i) {
  std::vector<Span> spans;
  EXPECT_TRUE(wire.ReadBytes(wire.feature(i), &spans));
  std::vector<std::string> out;
  for (const Span& span : spans) out.emplace_back(reinterpret_cast<const char*>(span.data), span.size);
  return out;
}
bool ParseWire(const std::string& bytes, ExampleWire* wire) {
  return wire->Parse(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

TEST(ExampleWireTest, ReadsWhatProtobufWritesPacked) {
  v1::Example example;
  auto& features = *example.mutable_features()->mutable_feature();
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1} << 62, int64_t{300}}) {
    features["ints"].mutable_int64_list()->add_value(v);
  }
  for (float v : {1.5f, -0.25f, 3e38f}) features["floats"].mutable_float_list()->add_value(v);
  features["bytes"].mutable_bytes_list()->add_value(std::string("a\0b", 3));
  features["bytes"].mutable_bytes_list()->add_value("");
  features["empty"].mutable_int64_list();
  const std::string bytes = example.SerializeAsString();

  ExampleWire wire;
  ASSERT_TRUE(ParseWire(bytes, &wire)) << wire.error();
  ASSERT_EQ(wire.num_features(), 4u);
  for (size_t i = 0; i < wire.num_features(); ++i) {
    const std::string name(wire.name(i));
    const v1::Feature& expected = features.at(name);
    switch (wire.feature(i).kind) {
      case FeatureKind::kInt64:
        EXPECT_EQ(Ints(wire, i), std::vector<int64_t>(expected.int64_list().value().begin(),
                                                      expected.int64_list().value().end()))
            << name;
        break;
      case FeatureKind::kFloat:
        EXPECT_EQ(Floats(wire, i), std::vector<float>(expected.float_list().value().begin(),
                                                     expected.float_list().value().end()));
        break;
      case FeatureKind::kBytes:
        EXPECT_EQ(Bytes(wire, i), std::vector<std::string>(expected.bytes_list().value().begin(),
                                                          expected.bytes_list().value().end()));
        break;
      case FeatureKind::kNone:
        ADD_FAILURE() << name;
    }
  }
}

TEST(ExampleWireTest, UnpackedMergedAndUnknownFieldsAsProtobufReadsThem) {
  // ints: unpacked 7, then packed [8, 9], in two int64_list fields that merge;
  // floats: unpacked 1.5 and packed [2.5]; "gone": a bytes_list replaced by an int64_list;
  // "twice": a later entry of the same name; unknown fields at every level, a group too.
  const std::string ints = Field(3, 2, Field(1, 0, Varint(7)) + Field(9, 0, Varint(1))) +
                           Field(3, 2, Field(1, 2, Varint(8) + Varint(9)));
  const std::string floats = Field(2, 2, Field(1, 5, Fixed32(1.5f)) + Field(1, 2, Fixed32(2.5f)));
  const std::string gone = Field(1, 2, Field(1, 2, "x")) + Field(3, 2, Field(1, 0, Varint(42)));
  const std::string group = Varint(5 << 3 | 3) + Field(1, 0, Varint(1)) + Varint(5 << 3 | 4);
  const std::string features = Entry("ints", ints) + Entry("floats", floats) + Entry("gone", gone) +
                               Entry("twice", Field(3, 2, Field(1, 0, Varint(1)))) +
                               Field(7, 0, Varint(3)) +
                               Entry("twice", Field(3, 2, Field(1, 0, Varint(2))));
  const std::string bytes = Field(1, 2, features) + group + Field(15, 1, std::string(8, 'z'));

  v1::Example reference;
  ASSERT_TRUE(reference.ParseFromString(bytes));
  const auto& map = reference.features().feature();
  ASSERT_EQ(map.at("ints").int64_list().value_size(), 3);
  ASSERT_EQ(map.at("twice").int64_list().value(0), 2);

  ExampleWire wire;
  ASSERT_TRUE(ParseWire(bytes, &wire)) << wire.error();
  ASSERT_EQ(wire.num_features(), 5u);  // "twice" twice: the decoder takes the last
  EXPECT_EQ(wire.name(0), "ints");
  EXPECT_EQ(Ints(wire, 0), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(Floats(wire, 1), (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(wire.feature(2).kind, FeatureKind::kInt64);
  EXPECT_EQ(Ints(wire, 2), std::vector<int64_t>{map.at("gone").int64_list().value(0)});
  EXPECT_EQ(Ints(wire, 4), std::vector<int64_t>{2});
}

TEST(ExampleWireTest, RefusesWhatIsNotAnExample) {
  ExampleWire wire;
  EXPECT_FALSE(ParseWire("not an example at all", &wire));
  EXPECT_FALSE(wire.error().empty());
  EXPECT_FALSE(ParseWire(Field(1, 2, "\x0a\x7f"), &wire));  // an entry longer than its message
  EXPECT_FALSE(ParseWire(Varint(5 << 3 | 4), &wire));      // an end-group alone
  // Packed floats whose length is not a multiple of 4 parse, but cannot be read.
  ASSERT_TRUE(ParseWire(Field(1, 2, Entry("f", Field(2, 2, Field(1, 2, "abcde")))), &wire));
  size_t count = 0;
  EXPECT_FALSE(wire.CountNumbers(wire.feature(0), &count));
  ASSERT_TRUE(ParseWire("", &wire));  // an empty Example has no features
  EXPECT_EQ(wire.num_features(), 0u);
}

// Decoding through a framing reader of a one-record file.
class DecoderTest : public ::testing::Test {
 protected:
  Status DecodeOne(const std::string& example, std::vector<ColumnSpec> columns,
                   TensorColumns* out) {
    file_ = std::make_unique<testing::TempFile>(testing::Frame(example));
    auto framing = OpenFraming(file_->path(), Compression::kNone);
    if (!framing.ok()) return framing.status();
    framing_ = std::move(framing).value();
    Record record;
    bool end = false;
    RETURN_IF_ERROR(framing_->Next(&record, &end));
    ExampleDecoder decoder(std::move(columns));
    return decoder.Decode(record, *framing_, out);
  }
  std::string path() const { return file_->path(); }

  std::unique_ptr<testing::TempFile> file_;
  std::unique_ptr<FramingReader> framing_;
};

std::string SampleExample() {
  v1::Example example;
  auto& features = *example.mutable_features()->mutable_feature();
  for (int64_t v : {int64_t{5}, int64_t{-7}, int64_t{1} << 40}) features["i"].mutable_int64_list()->add_value(v);
  features["f"].mutable_float_list()->add_value(1.5f);
  features["f"].mutable_float_list()->add_value(-2.75f);
  features["b"].mutable_bytes_list()->add_value("ab");
  features["b"].mutable_bytes_list()->add_value("cdef");
  features["one"].mutable_int64_list()->add_value(3);
  features["text"].mutable_bytes_list()->add_value("row-001");
  features["bad"].mutable_bytes_list()->add_value("\xff\xfe");
  return example.SerializeAsString();
}

TEST_F(DecoderTest, MapsFeaturesAsMindSporeDoes) {
  TensorColumns out;
  ASSERT_TRUE(DecodeOne(SampleExample(),
                        {{"i", DataType::kInt64, std::nullopt},
                         {"i", DataType::kInt8, std::nullopt},
                         {"i", DataType::kFloat64, Shape{3, 1}},
                         {"f", DataType::kFloat32, std::nullopt},
                         {"f", DataType::kInt32, Shape{-1}},
                         {"f", DataType::kFloat16, std::nullopt},
                         {"f", DataType::kBool, std::nullopt},
                         {"one", DataType::kInt64, Shape{}},
                         {"one", DataType::kUInt8, std::nullopt},
                         {"b", DataType::kUInt8, std::nullopt},
                         {"b", DataType::kString, std::nullopt},
                         {"text", DataType::kString, Shape{}},
                         {"text", DataType::kBytes, std::nullopt},
                         {"text", DataType::kUInt8, std::nullopt}},
                        &out)
                  .ok());
  ASSERT_EQ(out.size(), 14u);
  auto ints = [](const TensorPtr& t) { return std::vector<int64_t>(t->data_as<int64_t>(), t->data_as<int64_t>() + t->num_elements()); };
  EXPECT_EQ(out[0]->shape(), (Shape{3}));
  EXPECT_EQ(ints(out[0]), (std::vector<int64_t>{5, -7, int64_t{1} << 40}));
  EXPECT_EQ(out[1]->dtype(), DataType::kInt8);
  EXPECT_EQ((std::vector<int8_t>(out[1]->data_as<int8_t>(), out[1]->data_as<int8_t>() + 3)),
            (std::vector<int8_t>{5, -7, 0}));  // wraps, as MindSpore's cast does
  EXPECT_EQ(out[2]->shape(), (Shape{3, 1}));
  EXPECT_EQ(out[2]->data_as<double>()[2], 1099511627776.0);
  EXPECT_EQ(out[3]->data_as<float>()[1], -2.75f);
  EXPECT_EQ(out[4]->dtype(), DataType::kInt32);
  EXPECT_EQ(out[4]->data_as<int32_t>()[1], -2);  // truncated toward zero
  EXPECT_EQ(HalfToFloat(out[5]->data_as<uint16_t>()[0]), 1.5f);
  EXPECT_TRUE(out[6]->data_as<bool>()[0]);
  EXPECT_EQ(out[7]->shape(), Shape{});
  EXPECT_EQ(out[7]->data_as<int64_t>()[0], 3);
  EXPECT_EQ(out[8]->shape(), (Shape{1}));
  // Several bytes values as uint8: each padded with spaces to the longest.
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out[9]->data()), 8), "ab  cdef");
  EXPECT_EQ(out[10]->shape(), (Shape{2}));
  EXPECT_EQ(out[10]->StringAt(1), "cdef");
  EXPECT_EQ(out[11]->shape(), Shape{});
  EXPECT_EQ(out[11]->StringAt(0), "row-001");
  EXPECT_EQ(out[12]->dtype(), DataType::kBytes);
  EXPECT_EQ(out[13]->shape(), (Shape{7}));
  EXPECT_EQ(out[13]->buffer()->origin(), path() + " (TFRecord record at byte 0)");
}

TEST_F(DecoderTest, MismatchesNameTheFeatureFileAndOffset) {
  struct Case {
    ColumnSpec column;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"missing", DataType::kInt64, std::nullopt}, "the Example has no feature 'missing'"},
      {{"i", DataType::kString, std::nullopt}, "feature 'i' is a int64_list, which cannot be read as string"},
      {{"b", DataType::kInt64, std::nullopt},
       "feature 'b' is a bytes_list, which cannot be read as int64 (only as uint8, int8, string or bytes)"},
      {{"i", DataType::kInt64, Shape{2}}, "column 'i' has 3 values, which the schema's shape [2] cannot hold"},
      {{"i", DataType::kInt64, Shape{-1, 2}}, "column 'i' has 3 values, which the schema's shape [-1, 2] cannot hold"},
      {{"i", DataType::kInt64, Shape{}}, "column 'i' has 3 values, which the schema's shape [] cannot hold"},
      {{"bad", DataType::kString, std::nullopt}, "feature 'bad': string element 0"},
  };
  for (const Case& test : cases) {
    TensorColumns out;
    Status status = DecodeOne(SampleExample(), {test.column}, &out);
    EXPECT_EQ(status.code(), StatusCode::kDataLoss) << test.expected;
    EXPECT_EQ(status.message().rfind(path() + ": TFRecord record at byte 0: " + test.expected, 0), 0u)
        << status.message();
  }
  TensorColumns out;
  Status garbage = DecodeOne("\xff\xff\xff garbage", {{"x", DataType::kUInt8, std::nullopt}}, &out);
  EXPECT_EQ(garbage.code(), StatusCode::kDataLoss);
  EXPECT_EQ(garbage.message().rfind(path() + ": TFRecord record at byte 0: not a tf.train.Example (", 0), 0u)
      << garbage.message();
}

TEST_F(DecoderTest, LargeBytesViewTheRecordsBufferSmallOnesAreCopied) {
  v1::Example example;
  auto& features = *example.mutable_features()->mutable_feature();
  std::string image(100 << 10, '\0');
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<char>(i * 13);
  features["image"].mutable_bytes_list()->add_value(image);
  features["small"].mutable_bytes_list()->add_value("tiny");
  features["label"].mutable_int64_list()->add_value(4);
  TensorColumns out;
  ASSERT_TRUE(DecodeOne(example.SerializeAsString(),
                        {{"image", DataType::kUInt8, std::nullopt},
                         {"small", DataType::kUInt8, std::nullopt},
                         {"label", DataType::kInt64, Shape{}}},
                        &out)
                  .ok());
  ASSERT_EQ(out[0]->num_elements(), static_cast<int64_t>(image.size()));
  EXPECT_EQ(std::memcmp(out[0]->data(), image.data(), image.size()), 0);
  EXPECT_FALSE(out[0]->buffer()->is_owned());  // a view of the record's buffer
  EXPECT_TRUE(out[1]->buffer()->is_owned());
  EXPECT_EQ(out[2]->data_as<int64_t>()[0], 4);
  // The view keeps the record alive after the reader and its file are gone.
  framing_.reset();
  file_.reset();
  EXPECT_EQ(std::memcmp(out[0]->data(), image.data(), image.size()), 0);
}

TEST(ColumnsTest, CheckAndInfer) {
  EXPECT_TRUE(CheckColumns({{"a", DataType::kInt64, Shape{-1, 2}}}).ok());
  EXPECT_EQ(CheckColumns({{"a", DataType::kInt64, Shape{-1, -1}}}).message(),
            "schema: column 'a' has shape [-1, -1]: at most one dimension may be -1");
  EXPECT_EQ(CheckColumns({{"a", DataType::kInt64, Shape{-2}}}).message(),
            "schema: column 'a' has shape [-2]: dimensions are -1 or at least 0");
  EXPECT_EQ(CheckColumns({{"a", DataType::kInt64, std::nullopt}, {"a", DataType::kUInt8, std::nullopt}}).message(),
            "schema: column 'a' is given twice");
  ExampleWire wire;
  const std::string bytes = SampleExample();
  ASSERT_TRUE(wire.Parse(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  std::vector<std::string> names;
  std::vector<DataType> dtypes;
  for (const ColumnSpec& column : InferColumns(wire)) {
    names.push_back(column.name);
    dtypes.push_back(column.dtype);
    EXPECT_FALSE(column.shape.has_value());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"b", "bad", "f", "i", "one", "text"}));
  EXPECT_EQ(dtypes, (std::vector<DataType>{DataType::kUInt8, DataType::kUInt8, DataType::kFloat32,
                                           DataType::kInt64, DataType::kInt64, DataType::kUInt8}));
}

}  // namespace
}  // namespace headrace::engine::tfrecord
