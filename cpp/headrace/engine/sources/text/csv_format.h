// CSVFormat: a CSV file as rows of typed scalar columns (CSVDataset).
//
// Records follow RFC 4180: fields are split by `field_delim`; a field that starts with a
// double quote runs to the closing quote and may hold the delimiter, line ends and doubled
// quotes (""). Records end with "\n", "\r\n" or "\r"; empty lines are no records; the last
// record needs no line end. Each column has a type: kInt32 (a 0-d int32 tensor), kFloat32
// (0-d float32) or kString (0-d kString, valid UTF-8). Numbers may have spaces around them;
// an empty field is an empty string, and in a number column an error, as in MindSpore.
//
// With `header_line`, the first record of every file names the columns; it must equal
// `column_names` (the caller reads the first file's with ReadHeader). Without, every
// record is a row.
//
// Errors, all DataLoss naming the file and the line the record starts on (1-based):
// a record with another number of fields than there are columns, a field that is not a
// number of its column's type (or out of its range), a quote inside an unquoted field, a
// character after a closing quote, a quoted field still open at the end of the file,
// text that is not UTF-8, a header that differs.
//
// Threading: see record_file.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/engine/sources/record_file.h"
#include "headrace/engine/sources/text/chunk_reader.h"

namespace headrace::engine {

enum class CSVColumnType { kInt32, kFloat32, kString };

// "int32", "float32", "string".
const char* CSVColumnTypeName(CSVColumnType type);

class CSVFormat : public RecordFormat {
 public:
  // InvalidArgument when `field_delim` is a quote, a line end or not ASCII, when
  // `column_names` is empty or has a name twice, or when there are more column types than
  // names. Columns past the end of `column_types` are strings. `chunk_bytes`: how much a
  // read fetches (tests make it small to cross chunk ends).
  static Result<std::shared_ptr<CSVFormat>> Make(char field_delim,
                                                 std::vector<std::string> column_names,
                                                 std::vector<CSVColumnType> column_types,
                                                 bool header_line,
                                                 int64_t chunk_bytes = ChunkReader::kChunkBytes);

  // The column names in the first record of `path`. DataLoss when the file has no record
  // or its first record is malformed (or not UTF-8).
  static Result<std::vector<std::string>> ReadHeader(const std::string& path, char field_delim);

  std::string name() const override { return "CSV"; }
  const std::vector<std::string>& column_names() const override { return names_; }
  const std::vector<CSVColumnType>& column_types() const { return types_; }
  char field_delim() const { return delim_; }
  int64_t chunk_bytes() const { return chunk_bytes_; }
  bool header_line() const { return header_; }

  Result<std::unique_ptr<RecordFileReader>> Open(const std::string& path) const override;
  // Counts records (a quoted line end does not end one) without parsing fields; the
  // header is not a row.
  Result<int64_t> CountRows(const std::string& path) const override;

 private:
  CSVFormat(char delim, std::vector<std::string> names, std::vector<CSVColumnType> types,
            bool header, int64_t chunk_bytes)
      : delim_(delim), names_(std::move(names)), types_(std::move(types)), header_(header),
        chunk_bytes_(chunk_bytes) {}

  const char delim_;
  const std::vector<std::string> names_;
  const std::vector<CSVColumnType> types_;  // one per name
  const bool header_;
  const int64_t chunk_bytes_;
};

}  // namespace headrace::engine
