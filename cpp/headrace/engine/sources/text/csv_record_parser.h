// CSVRecordParser: splits a CSV file into records of unquoted field texts (private to
// csv_format.cc and its test).
//
// The grammar is the one csv_format.h describes. Fields are copied into strings that the
// parser reuses from record to record, so a steady stream of records allocates nothing.
// Errors are DataLoss "<path> line <n>: <what>", n being the line the record starts on.
// Used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/text/chunk_reader.h"

namespace headrace::engine {

class CSVRecordParser {
 public:
  CSVRecordParser(std::unique_ptr<DataFile> file, char delim,
                  int64_t chunk_bytes = ChunkReader::kChunkBytes)
      : chunks_(std::move(file), chunk_bytes), delim_(delim) {}

  const std::string& path() const { return chunks_.path(); }

  // Parses the next record; false at the end of the file. Its fields are then
  // fields()[0 .. num_fields()).
  Result<bool> Next();
  const std::vector<std::string>& fields() const { return fields_; }
  size_t num_fields() const { return num_fields_; }
  // The line (1-based) the last record started on.
  int64_t record_line() const { return record_line_; }

  // DataLoss "<path> line <record_line>: <what>".
  Status Error(const std::string& what) const;

 private:
  enum class Outcome { kRecord, kNeedMore, kEnd };

  // Parses one record from the window; kNeedMore when it may go on past the window's end
  // (the caller reads more and parses it again from its start).
  Result<Outcome> TryParse();
  std::string* NextField();

  ChunkReader chunks_;
  const char delim_;
  std::vector<std::string> fields_;  // reused: only the first num_fields_ are this record's
  size_t num_fields_ = 0;
  int64_t line_ = 1;  // of the first byte of the window
  int64_t record_line_ = 0;
};

}  // namespace headrace::engine
