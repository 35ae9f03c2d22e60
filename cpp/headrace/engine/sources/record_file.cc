#include "headrace/engine/sources/record_file.h"

namespace headrace::engine {

Status RecordFileReader::SkipRows(int64_t count, bool* end) {
  *end = false;
  while (count > 0 && !*end) {
    RowBlock dropped;
    RETURN_IF_ERROR(ReadRows(count, &dropped, end));
    count -= static_cast<int64_t>(dropped.size());
  }
  return Status::OK();
}

Result<std::unique_ptr<RecordFileReader>> RecordFormat::OpenAt(const std::string& path,
                                                              int64_t first_row) const {
  ASSIGN_OR_RETURN(std::unique_ptr<RecordFileReader> reader, Open(path));
  bool end = false;
  if (first_row > 0) RETURN_IF_ERROR(reader->SkipRows(first_row, &end));
  return reader;
}

}  // namespace headrace::engine
