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

}  // namespace headrace::engine
