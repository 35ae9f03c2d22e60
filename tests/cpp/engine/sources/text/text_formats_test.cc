// CSVFormat and TextLineFormat through the RecordFormat interface: values, types, row
// counts, records and lines across chunk ends, and errors that name file and line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "headrace/engine/sources/text/csv_format.h"
#include "headrace/engine/sources/text/csv_record_parser.h"
#include "headrace/engine/sources/text/text_line_format.h"

namespace headrace::engine {
namespace {

using Type = CSVColumnType;

class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char path[] = "/tmp/headrace-text-XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    close(fd);
    path_ = path;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every row of `path` as text: "1|2.5|x" (int and float printed, strings as they are).
Result<std::vector<std::string>> ReadAll(const RecordFormat& format, const std::string& path,
                                         int64_t rows_per_call = 2) {
  ASSIGN_OR_RETURN(std::unique_ptr<RecordFileReader> reader, format.Open(path));
  std::vector<std::string> out;
  bool end = false;
  while (!end) {
    RowBlock block;
    RETURN_IF_ERROR(reader->ReadRows(rows_per_call, &block, &end));
    EXPECT_LE(static_cast<int64_t>(block.size()), rows_per_call);
    for (const TensorRow& row : block) {
      std::string text;
      for (size_t i = 0; i < row.size(); ++i) {
        const Tensor& value = *row[i];
        EXPECT_EQ(value.rank(), 0);
        if (i > 0) text += "|";
        switch (value.dtype()) {
          case DataType::kInt32:
            text += std::to_string(*value.data_as<int32_t>());
            break;
          case DataType::kFloat32: {
            char number[32];
            std::snprintf(number, sizeof number, "%g", *value.data_as<float>());
            text += number;
            break;
          }
          case DataType::kString:
            text += std::string(value.StringAt(0));
            break;
          default:
            ADD_FAILURE() << "unexpected dtype " << value.ToString();
        }
      }
      out.push_back(text);
    }
  }
  return out;
}

std::shared_ptr<CSVFormat> Csv(std::vector<std::string> names, std::vector<Type> types,
                               bool header = false, char delim = ',', int64_t chunk = 1 << 20) {
  auto format = CSVFormat::Make(delim, std::move(names), std::move(types), header, chunk);
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  return *format;
}

// --- CSV ---------------------------------------------------------------------------------

TEST(CSVFormatTest, ReadsTypedColumnsWithQuotesAndLineEnds) {
  TempFile file("1,2.5,plain\r\n-3,1e3,\"a,b\"\n\n+7, 0.25 ,\"say \"\"hi\"\"\nthere\"\r\n4,5,\n8,-inf,last");
  auto format = Csv({"a", "b", "c"}, {Type::kInt32, Type::kFloat32});  // c: string by default
  EXPECT_EQ(format->column_types()[2], Type::kString);
  for (int64_t chunk : {int64_t{1} << 20, int64_t{1}, int64_t{3}, int64_t{7}}) {
    auto small = Csv({"a", "b", "c"}, {Type::kInt32, Type::kFloat32}, false, ',', chunk);
    auto rows = ReadAll(*small, file.path());
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, (std::vector<std::string>{"1|2.5|plain", "-3|1000|a,b",
                                               "7|0.25|say \"hi\"\nthere", "4|5|", "8|-inf|last"}))
        << "chunk " << chunk;
    auto count = small->CountRows(file.path());
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, 5) << "chunk " << chunk;
  }
}

TEST(CSVFormatTest, HeaderIsReadSkippedAndChecked) {
  TempFile first("x,\"y z\"\n1,2\n");
  TempFile other("x,y\n3,4\n");
  auto names = CSVFormat::ReadHeader(first.path(), ',');
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"x", "y z"}));
  auto format = Csv(*names, {}, /*header=*/true);
  auto rows = ReadAll(*format, first.path());
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, std::vector<std::string>{"1|2"});
  EXPECT_EQ(*format->CountRows(first.path()), 1);

  auto mismatch = format->Open(other.path());
  EXPECT_EQ(mismatch.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(mismatch.status().message(),
            other.path() + " line 1: the header names the columns [x, y], unlike the first file's [x, y z]");

  TempFile empty("");
  EXPECT_EQ(CSVFormat::ReadHeader(empty.path(), ',').status().message(),
            empty.path() + " is empty: it has no header line");
  EXPECT_EQ(format->Open(empty.path()).status().message(), empty.path() + " is empty: it has no header line");
  EXPECT_EQ(*format->CountRows(empty.path()), 0);
}

TEST(CSVFormatTest, WithoutHeaderEveryRecordIsARowAndOtherDelimiters) {
  TempFile file("a|b,c\n\"q|r\"|\n");
  auto format = Csv({"p", "q"}, {}, false, '|');
  auto rows = ReadAll(*format, file.path());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"a|b,c", "q|r|"}));
}

// The error message of reading `contents` with `format`, the file's path shown as FILE.
std::string ReadError(const std::shared_ptr<CSVFormat>& format, const std::string& contents) {
  TempFile file(contents);
  auto rows = ReadAll(*format, file.path());
  EXPECT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kDataLoss);
  std::string message = rows.status().message();
  if (message.rfind(file.path(), 0) == 0) message.replace(0, file.path().size(), "FILE");
  return message;
}

TEST(CSVFormatTest, MalformedRecordsAreDataLossNamingFileAndLine) {
  auto typed = Csv({"a", "b"}, {Type::kInt32, Type::kFloat32});
  auto text = Csv({"a", "b"}, {});
  EXPECT_EQ(ReadError(text, "1,2\n\n3\n"), "FILE line 3: 1 field, but there are 2 columns");
  EXPECT_EQ(ReadError(text, "1,2\n3,4,5\n"), "FILE line 2: 3 fields, but there are 2 columns");
  EXPECT_EQ(ReadError(Csv({"s", "n"}, {Type::kString, Type::kInt32}), "a,2\n\"x\ny\",2\nz,1.5\n"),
            "FILE line 4: column 'n' holds \"1.5\", which is not an int32");
  EXPECT_EQ(ReadError(typed, "1,abc\n"), "FILE line 1: column 'b' holds \"abc\", which is not a float32");
  EXPECT_EQ(ReadError(typed, ",2\n"), "FILE line 1: column 'a' holds \"\", which is not an int32");
  EXPECT_EQ(ReadError(typed, "3000000000,2\n"),
            "FILE line 1: column 'a' holds \"3000000000\", which is out of the range of an int32");
  EXPECT_EQ(ReadError(typed, "1,1e40\n"),
            "FILE line 1: column 'b' holds \"1e40\", which is out of the range of a float32");
  EXPECT_EQ(ReadError(text, "1,ab\"c\n"),
            "FILE line 1: a quote inside unquoted field 2 (quote the whole field and double the "
                   "quotes inside it)");
  EXPECT_EQ(ReadError(text, "1,\"ab\"c\n"), "FILE line 1: character 'c' after the closing quote of field 2");
  EXPECT_EQ(ReadError(text, "1,2\n3,\"open\n4,5\n"),
            "FILE line 2: a quoted field is still open at the end of the file");
  EXPECT_EQ(ReadError(text, "1,\xff\n"), "FILE line 1: column 'b' is not valid UTF-8 text");
}

TEST(CSVFormatTest, RowsBeforeAnErrorComeFirstThenTheError) {
  TempFile file("1\n2\nx\n4\n");
  auto format = Csv({"n"}, {Type::kInt32});
  auto reader = format->Open(file.path());
  ASSERT_TRUE(reader.ok());
  RowBlock block;
  bool end = true;
  ASSERT_TRUE((*reader)->ReadRows(10, &block, &end).ok());
  EXPECT_EQ(block.size(), 2u);
  EXPECT_FALSE(end);
  Status error = (*reader)->ReadRows(10, &block, &end);
  EXPECT_EQ(error.message(), file.path() + " line 3: column 'n' holds \"x\", which is not an int32");
  EXPECT_EQ(block.size(), 2u);
}

TEST(TextLineFormatTest, RowsBeforeAnErrorComeFirstThenTheError) {
  TempFile file("a\n\xc3\n");
  TextLineFormat format;
  auto reader = format.Open(file.path());
  ASSERT_TRUE(reader.ok());
  RowBlock block;
  bool end = true;
  ASSERT_TRUE((*reader)->ReadRows(10, &block, &end).ok());
  EXPECT_EQ(block.size(), 1u);
  EXPECT_FALSE(end);
  EXPECT_EQ((*reader)->ReadRows(10, &block, &end).code(), StatusCode::kDataLoss);
}

TEST(CSVFormatTest, SkipRowsPassesOverRecordsWithoutConverting) {
  TempFile file("x,1\ny,2\n\"z\nw\",3\nv,4\n");
  auto format = Csv({"s", "n"}, {Type::kString, Type::kInt32});
  auto reader = format->Open(file.path());
  ASSERT_TRUE(reader.ok());
  bool end = false;
  ASSERT_TRUE((*reader)->SkipRows(3, &end).ok());
  EXPECT_FALSE(end);
  RowBlock block;
  ASSERT_TRUE((*reader)->ReadRows(10, &block, &end).ok());
  ASSERT_EQ(block.size(), 1u);
  EXPECT_EQ(block[0][0]->StringAt(0), "v");
  EXPECT_TRUE(end);
  auto again = format->Open(file.path());
  ASSERT_TRUE((*again)->SkipRows(9, &end).ok());
  EXPECT_TRUE(end);
}

TEST(CSVFormatTest, BadArgumentsAreInvalidArgument) {
  EXPECT_EQ(CSVFormat::Make('"', {"a"}, {}, false).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CSVFormat::Make('\n', {"a"}, {}, false).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CSVFormat::Make(',', {}, {}, false).status().message(), "column_names is empty");
  EXPECT_EQ(CSVFormat::Make(',', {"a", "a"}, {}, false).status().message(),
            "column_names has the column 'a' twice");
  EXPECT_EQ(CSVFormat::Make(',', {"a"}, {Type::kInt32, Type::kInt32}, false).status().message(),
            "column_defaults has 2 columns but column_names 1");
  EXPECT_EQ(Csv({"a"}, {})->Open("/tmp/headrace-no-such.csv").status().code(), StatusCode::kNotFound);
}

TEST(CSVFormatTest, LargeFileCrossesChunks) {
  std::string contents;
  for (int i = 0; i < 100000; ++i) contents += std::to_string(i) + ",\"v\n" + std::to_string(i) + "\"\n";
  TempFile file(contents);  // about 1.5 MB: more than one default chunk
  auto format = Csv({"i", "s"}, {Type::kInt32});
  EXPECT_EQ(*format->CountRows(file.path()), 100000);
  auto rows = ReadAll(*format, file.path(), 4096);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 100000u);
  EXPECT_EQ((*rows)[77777], "77777|v\n77777");
}

TEST(CSVRecordParserTest, LineNumbersCountQuotedLineEnds) {
  TempFile file("\n\"a\nb\",c\r\n\r\nd,e\r\"f\r\ng\",h\n");
  auto data = DataFile::Open(file.path());
  ASSERT_TRUE(data.ok());
  CSVRecordParser parser(std::move(*data), ',', 2);
  std::vector<int64_t> lines;
  while (true) {
    auto found = parser.Next();
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    if (!*found) break;
    lines.push_back(parser.record_line());
    EXPECT_EQ(parser.num_fields(), 2u);
  }
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 5, 6}));
}

// --- text lines -----------------------------------------------------------------------------

TEST(TextLineFormatTest, LinesWithoutLineEndsAndEmptyLinesSkipped) {
  TempFile file("first\n\nsecond line\r\n  \n\r\nh\xc3\xa9llo\nlast");
  for (int64_t chunk : {int64_t{1} << 20, int64_t{1}, int64_t{2}, int64_t{5}}) {
    TextLineFormat format(chunk);
    EXPECT_EQ(format.column_names(), std::vector<std::string>{"text"});
    auto rows = ReadAll(format, file.path());
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, (std::vector<std::string>{"first", "second line", "  ", "h\xc3\xa9llo", "last"}))
        << "chunk " << chunk;
    EXPECT_EQ(*format.CountRows(file.path()), 5) << "chunk " << chunk;
  }
}

TEST(TextLineFormatTest, EmptyFilesAndTrailingLineEnds) {
  TextLineFormat format;
  TempFile empty("");
  EXPECT_EQ(*format.CountRows(empty.path()), 0);
  EXPECT_TRUE(ReadAll(format, empty.path())->empty());
  TempFile blank("\n\r\n\n");
  EXPECT_EQ(*format.CountRows(blank.path()), 0);
  EXPECT_TRUE(ReadAll(format, blank.path())->empty());
  TempFile lone_cr("a\rb\r");  // a lone "\r" is no line end, as in MindSpore
  EXPECT_EQ(*ReadAll(format, lone_cr.path()), std::vector<std::string>{"a\rb"});
}

TEST(TextLineFormatTest, NonUtf8IsDataLossNamingFileAndLine) {
  TempFile file("ok\n\nbad \xff here\n");
  TextLineFormat format;
  EXPECT_EQ(*format.CountRows(file.path()), 2);
  auto rows = ReadAll(format, file.path());
  EXPECT_EQ(rows.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(rows.status().message(), file.path() + " line 3 is not valid UTF-8 text");
  EXPECT_EQ(format.Open("/tmp/headrace-no-such.txt").status().code(), StatusCode::kNotFound);
}

TEST(TextLineFormatTest, SkipRowsThenRead) {
  TempFile file("1\n\n2\n3\n4");
  TextLineFormat format(2);
  auto reader = format.Open(file.path());
  ASSERT_TRUE(reader.ok());
  bool end = false;
  ASSERT_TRUE((*reader)->SkipRows(2, &end).ok());
  EXPECT_FALSE(end);
  RowBlock block;
  ASSERT_TRUE((*reader)->ReadRows(5, &block, &end).ok());
  ASSERT_EQ(block.size(), 2u);
  EXPECT_EQ(block[0][0]->StringAt(0), "3");
  EXPECT_EQ(block[1][0]->StringAt(0), "4");
  EXPECT_TRUE(end);
}

}  // namespace
}  // namespace headrace::engine
