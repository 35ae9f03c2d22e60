#include "headrace/engine/sources/mindrecord/mindrecord_layout.h"

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace headrace::engine {

namespace {

// Blob pages whose rows average less than this are read whole to learn the row lengths;
// larger rows are walked with one 8-byte read each.
constexpr int64_t kSmallBlobRow = 4096;

uint64_t LittleEndian64(const uint8_t* bytes) {
  uint64_t value = 0;
  std::memcpy(&value, bytes, 8);
  return value;
}

Status Corrupt(const std::string& path, int64_t offset, const std::string& what) {
  return Status::DataLoss(path + " is corrupt at byte " + std::to_string(offset) + ": " + what);
}

}  // namespace

Status WalkMindRecordRows(const DataFile& file, const MindRecordHeader& header,
                          const std::function<void(const MindRecordPage&, std::string_view)>& on_raw_page,
                          const std::function<Status(const MindRecordRowPlace&)>& on_row) {
  const std::string& path = file.path();
  std::map<int64_t, const MindRecordPage*> blob_pages;  // by page_type_id
  for (const MindRecordPage& page : header.pages) {
    if (page.page_size < 0 || page.page_size > header.page_size) {
      return Status::DataLoss(path + " is corrupt: page " + std::to_string(page.page_id) + " says it holds " +
                              std::to_string(page.page_size) + " bytes, pages are " + std::to_string(header.page_size));
    }
    if (page.is_blob) blob_pages[page.page_type_id] = &page;
  }
  int64_t rows = 0;
  std::vector<uint8_t> raw_bytes;
  std::vector<uint8_t> blob_bytes;
  for (const MindRecordPage& raw_page : header.pages) {
    if (raw_page.is_blob) continue;
    const int64_t raw_start = MindRecordPageStart(header, raw_page);
    raw_bytes.resize(static_cast<size_t>(raw_page.page_size));
    RETURN_IF_ERROR(file.ReadExactlyAt(raw_start, raw_page.page_size, raw_bytes.data(), "raw page"));
    on_raw_page(raw_page, std::string_view(reinterpret_cast<const char*>(raw_bytes.data()), raw_bytes.size()));
    for (const auto& [group, group_offset] : raw_page.row_groups) {
      if (group_offset >= raw_page.page_size) continue;  // a page without rows (see mindrecord_header.cc)
      const auto found = blob_pages.find(group);
      if (found == blob_pages.end()) {
        return Corrupt(path, raw_start, "raw page " + std::to_string(raw_page.page_id) + " names row group " +
                                            std::to_string(group) + ", which no blob page has");
      }
      const MindRecordPage& blob_page = *found->second;
      const int64_t count = blob_page.end_row_id - blob_page.start_row_id;
      const int64_t blob_start = MindRecordPageStart(header, blob_page);
      if (blob_start + blob_page.page_size > file.size()) {
        return TruncatedError(path, blob_start, blob_page.page_size, std::max<int64_t>(file.size() - blob_start, 0),
                              "blob page");
      }
      // Small rows: one read of the whole page instead of one read per row.
      const bool whole = count > 0 && blob_page.page_size / count < kSmallBlobRow;
      if (whole) {
        blob_bytes.resize(static_cast<size_t>(blob_page.page_size));
        RETURN_IF_ERROR(file.ReadExactlyAt(blob_start, blob_page.page_size, blob_bytes.data(), "blob page"));
      }
      int64_t raw_at = group_offset;
      int64_t blob_at = 0;
      for (int64_t r = 0; r < count; ++r) {
        const std::string row = "row " + std::to_string(blob_page.start_row_id + r);
        if (raw_at + 8 > raw_page.page_size) {
          return Corrupt(path, raw_start + raw_at, "raw page " + std::to_string(raw_page.page_id) + " ends inside " + row);
        }
        const uint64_t raw_length = LittleEndian64(raw_bytes.data() + raw_at);
        if (raw_length > static_cast<uint64_t>(raw_page.page_size - raw_at - 8)) {
          return Corrupt(path, raw_start + raw_at, row + " says its raw data has " + std::to_string(raw_length) +
                                                       " bytes, past the end of its page");
        }
        if (blob_at + 8 > blob_page.page_size) {
          return Corrupt(path, blob_start + blob_at, "blob page " + std::to_string(blob_page.page_id) +
                                                         " ends inside " + row);
        }
        uint8_t length_bytes[8];
        if (whole) {
          std::memcpy(length_bytes, blob_bytes.data() + blob_at, 8);
        } else {
          RETURN_IF_ERROR(file.ReadExactlyAt(blob_start + blob_at, 8, length_bytes, "blob length"));
        }
        const uint64_t blob_length = LittleEndian64(length_bytes);
        if (blob_length > static_cast<uint64_t>(blob_page.page_size - blob_at - 8)) {
          return Corrupt(path, blob_start + blob_at, row + " says its blob has " + std::to_string(blob_length) +
                                                         " bytes, past the end of its page");
        }
        MindRecordRowPlace place{blob_page.start_row_id + r,
                                 &raw_page,
                                 raw_at,
                                 static_cast<int64_t>(raw_length),
                                 &blob_page,
                                 blob_at,
                                 static_cast<int64_t>(blob_length),
                                 std::string_view(reinterpret_cast<const char*>(raw_bytes.data()) + raw_at + 8,
                                                  static_cast<size_t>(raw_length))};
        RETURN_IF_ERROR(on_row(place));
        raw_at += 8 + static_cast<int64_t>(raw_length);
        blob_at += 8 + static_cast<int64_t>(blob_length);
        ++rows;
      }
    }
  }
  if (rows != header.num_rows()) {
    return Status::DataLoss(path + " is corrupt: its raw pages hold " + std::to_string(rows) + " rows, its blob pages " +
                            std::to_string(header.num_rows()));
  }
  return Status::OK();
}

}  // namespace headrace::engine
