#include "headrace/engine/sources/text/csv_format.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <string_view>
#include <system_error>

#include "headrace/core/utf8.h"
#include "headrace/engine/sources/text/chunk_reader.h"
#include "headrace/engine/sources/text/csv_record_parser.h"

namespace headrace::engine {

const char* CSVColumnTypeName(CSVColumnType type) {
  switch (type) {
    case CSVColumnType::kInt32:
      return "int32";
    case CSVColumnType::kFloat32:
      return "float32";
    case CSVColumnType::kString:
      return "string";
  }
  return "?";
}

namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `text` as a number of type T, all of it (spaces around it aside); from_chars is
// locale-independent, unlike strtof, so "1.5" reads the same in every locale.
template <typename T>
std::errc ParseNumber(std::string_view text, T* value) {
  text = TrimSpaces(text);
  // from_chars takes no leading '+'; MindSpore (std::stoi / std::stof) does.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  if (text.empty()) return std::errc::invalid_argument;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (error != std::errc()) return error;
  return end == text.data() + text.size() ? std::errc() : std::errc::invalid_argument;
}

// The text of a field quoted for an error message, shortened if long.
std::string Quoted(std::string_view text) {
  constexpr size_t kShown = 40;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return "\"" + shown + "\"";
}

class CSVReader : public RecordFileReader {
 public:
  CSVReader(const CSVFormat* format, std::unique_ptr<DataFile> file)
      : format_(format), parser_(std::move(file), format->field_delim(), format->chunk_bytes()) {}

  Status ReadHeader() {
    ASSIGN_OR_RETURN(bool found, parser_.Next());
    if (!found) return Status::DataLoss(parser_.path() + " is empty: it has no header line");
    const std::vector<std::string> header(parser_.fields().begin(),
                                          parser_.fields().begin() + parser_.num_fields());
    if (header != format_->column_names()) {
      return parser_.Error("the header names the columns " + Join(header) +
                           ", unlike the first file's " + Join(format_->column_names()));
    }
    return Status::OK();
  }

  Status ReadRows(int64_t max_rows, RowBlock* block, bool* end) override {
    // An error after some rows of this call: those rows go out first, the error next call
    // (the op drops the rows of a call that fails).
    if (!pending_.ok()) return pending_;
    const size_t before = block->size();
    Status status = ReadSomeRows(max_rows, block, end);
    if (!status.ok() && block->size() > before) {
      pending_ = std::move(status);
      *end = false;
      return Status::OK();
    }
    return status;
  }

  Status SkipRows(int64_t count, bool* end) override {
    *end = false;
    for (int64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(bool found, NextRecord());
      if (!found) {
        *end = true;
        break;
      }
    }
    return Status::OK();
  }

 private:
  Status ReadSomeRows(int64_t max_rows, RowBlock* block, bool* end) {
    *end = false;
    for (int64_t i = 0; i < max_rows; ++i) {
      ASSIGN_OR_RETURN(bool found, NextRecord());
      if (!found) {
        *end = true;
        return Status::OK();
      }
      TensorRow row;
      row.mutable_columns().reserve(parser_.num_fields());
      for (size_t column = 0; column < parser_.num_fields(); ++column) {
        ASSIGN_OR_RETURN(TensorPtr value, Convert(column, parser_.fields()[column]));
        row.push_back(std::move(value));
      }
      block->push_back(std::move(row));
    }
    return Status::OK();
  }

  static std::string Join(const std::vector<std::string>& names) {
    std::string joined = "[";
    for (size_t i = 0; i < names.size(); ++i) joined += (i ? ", " : "") + names[i];
    return joined + "]";
  }

  // The next record, checked to have one field per column.
  Result<bool> NextRecord() {
    ASSIGN_OR_RETURN(bool found, parser_.Next());
    if (found && parser_.num_fields() != format_->column_names().size()) {
      return parser_.Error(std::to_string(parser_.num_fields()) +
                           (parser_.num_fields() == 1 ? " field" : " fields") + ", but there are " +
                           std::to_string(format_->column_names().size()) + " columns");
    }
    return found;
  }

  Result<TensorPtr> Convert(size_t column, const std::string& text) {
    const CSVColumnType type = format_->column_types()[column];
    switch (type) {
      case CSVColumnType::kInt32: {
        int32_t value = 0;
        const std::errc error = ParseNumber(text, &value);
        if (error != std::errc()) return TypeError(column, text, error);
        return Tensor::Scalar(DataType::kInt32, value);
      }
      case CSVColumnType::kFloat32: {
        float value = 0;
        const std::errc error = ParseNumber(text, &value);
        if (error != std::errc()) return TypeError(column, text, error);
        return Tensor::Scalar(DataType::kFloat32, value);
      }
      case CSVColumnType::kString:
        if (!utf8::IsValid(text)) {
          return parser_.Error("column '" + format_->column_names()[column] +
                               "' is not valid UTF-8 text");
        }
        return Tensor::FromStrings(DataType::kString, {}, {std::string_view(text)});
    }
    return Status::Internal("CSV: unknown column type");
  }

  Status TypeError(size_t column, const std::string& text, std::errc error) const {
    const std::string what = error == std::errc::result_out_of_range ? " is out of the range of "
                                                                     : " is not ";
    const CSVColumnType type = format_->column_types()[column];
    return parser_.Error("column '" + format_->column_names()[column] + "' holds " +
                         Quoted(text) + ", which" + what + (type == CSVColumnType::kInt32 ? "an " : "a ") +
                         CSVColumnTypeName(type));
  }

  const CSVFormat* const format_;  // outlives its readers (the op holds it)
  CSVRecordParser parser_;
  Status pending_;  // an error to return on the next call
};

}  // namespace

Result<std::shared_ptr<CSVFormat>> CSVFormat::Make(char field_delim,
                                                   std::vector<std::string> column_names,
                                                   std::vector<CSVColumnType> column_types,
                                                   bool header_line, int64_t chunk_bytes) {
  const auto byte = static_cast<unsigned char>(field_delim);
  if (field_delim == '"' || field_delim == '\n' || field_delim == '\r' || byte >= 0x80 || byte == 0) {
    return Status::InvalidArgument("field_delim must be one ASCII character other than a quote "
                                   "or a line end");
  }
  if (column_names.empty()) return Status::InvalidArgument("column_names is empty");
  std::set<std::string> seen;
  for (const std::string& name : column_names) {
    if (!seen.insert(name).second) {
      return Status::InvalidArgument("column_names has the column '" + name + "' twice");
    }
  }
  if (column_types.size() > column_names.size()) {
    return Status::InvalidArgument("column_defaults has " + std::to_string(column_types.size()) +
                                   " columns but column_names " +
                                   std::to_string(column_names.size()));
  }
  column_types.resize(column_names.size(), CSVColumnType::kString);
  return std::shared_ptr<CSVFormat>(
      new CSVFormat(field_delim, std::move(column_names), std::move(column_types), header_line,
                    std::max<int64_t>(1, chunk_bytes)));
}

Result<std::vector<std::string>> CSVFormat::ReadHeader(const std::string& path, char field_delim) {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  // The header is short: a small chunk avoids reading a megabyte of every file.
  CSVRecordParser parser(std::move(file), field_delim, 64 << 10);
  ASSIGN_OR_RETURN(bool found, parser.Next());
  if (!found) return Status::DataLoss(path + " is empty: it has no header line");
  std::vector<std::string> names(parser.fields().begin(), parser.fields().begin() + parser.num_fields());
  for (const std::string& name : names) {
    if (!utf8::IsValid(name)) return parser.Error("the header is not valid UTF-8 text");
  }
  return names;
}

Result<std::unique_ptr<RecordFileReader>> CSVFormat::Open(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  auto reader = std::make_unique<CSVReader>(this, std::move(file));
  if (header_) RETURN_IF_ERROR(reader->ReadHeader());
  return std::unique_ptr<RecordFileReader>(std::move(reader));
}

Result<int64_t> CSVFormat::CountRows(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  ChunkReader chunks(std::move(file), chunk_bytes_);
  // A record starts at the first byte of a line that is not a line end; a line end inside
  // quotes is part of a field. Doubled quotes toggle the state twice, which is harmless.
  int64_t records = 0;
  bool in_quotes = false;
  bool line_start = true;
  while (true) {
    ASSIGN_OR_RETURN(bool more, chunks.Fill());
    if (!more) break;
    const char* p = chunks.data();
    const char* const stop = p + chunks.size();
    while (p < stop) {
      if (in_quotes) {
        const void* quote = std::memchr(p, '"', static_cast<size_t>(stop - p));
        if (quote == nullptr) break;
        p = static_cast<const char*>(quote) + 1;
        in_quotes = false;
        continue;
      }
      const char c = *p++;
      if (c == '\n' || c == '\r') {
        line_start = true;
        continue;
      }
      if (line_start) {
        ++records;
        line_start = false;
      }
      if (c == '"') in_quotes = true;
    }
    chunks.Consume(chunks.size());
  }
  if (header_ && records > 0) --records;
  return records;
}

}  // namespace headrace::engine
