// Walking the rows of one MindRecord shard file in row order, from its header's page list.
// Shared by the reader (MindRecordSource) and the index writer (the .db file), so that the
// page layout (see mindrecord_header.h) is read in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "headrace/core/status.h"
#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/mindrecord/mindrecord_header.h"

namespace headrace::engine {

// Where one row lives. Offsets are from the start of the row's page and point at the
// row's 8-byte length; lengths do not count it.
struct MindRecordRowPlace {
  int64_t row_id;  // in the shard
  const MindRecordPage* raw_page;
  int64_t raw_offset;
  int64_t raw_length;
  const MindRecordPage* blob_page;
  int64_t blob_offset;
  int64_t blob_length;
  std::string_view raw;  // the MessagePack bytes, valid during the call
};

// The file offset of `page`'s first byte.
inline int64_t MindRecordPageStart(const MindRecordHeader& header, const MindRecordPage& page) {
  return header.header_size + page.page_id * header.page_size;
}

// Reads each raw page of `file` once (on_raw_page gets its used bytes) and calls on_row for
// every row in row order. DataLoss naming the file and byte offset for a truncated or
// corrupt file; a Status from a callback stops the walk and is returned.
Status WalkMindRecordRows(const DataFile& file, const MindRecordHeader& header,
                          const std::function<void(const MindRecordPage&, std::string_view)>& on_raw_page,
                          const std::function<Status(const MindRecordRowPlace&)>& on_row);

}  // namespace headrace::engine
