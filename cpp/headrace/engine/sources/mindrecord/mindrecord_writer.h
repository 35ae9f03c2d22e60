// MindRecordWriter: writes a MindRecord data set (shard files and their .db index files)
// in the layout mindspore.mindrecord.FileWriter writes (see mindrecord_header.h), so that
// MindSpore and headrace both read it.
//
// Rows of one Write() are split into one contiguous run per shard, as MindSpore does: every
// shard gets rows / shards rows and the remainder goes one each to the shards that hold the
// fewest rows so far (MindSpore picks those shards at random; this choice is one of its
// outcomes and keeps shards even). In each shard rows fill blob and raw pages as MindSpore
// fills them, page by page. Commit() writes every shard's header, then the .db files.
//
// Threading: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/mindrecord/mindrecord_header.h"

namespace headrace::engine {

// A scalar column's value: int32/int64, float32/float64, or string.
using MindRecordValue = std::variant<int64_t, double, std::string>;

// One row to write: its scalar columns, and its blob columns' bytes in blob_fields order
// (arrays as their little-endian elements).
struct MindRecordRow {
  std::vector<std::pair<std::string, MindRecordValue>> scalars;
  std::vector<std::string> blobs;
};

class MindRecordWriter {
 public:
  MindRecordWriter(const MindRecordWriter&) = delete;
  MindRecordWriter& operator=(const MindRecordWriter&) = delete;
  ~MindRecordWriter();

  // `schema` has the columns, blob_fields, desc, index_fields (empty: every scalar column,
  // as MindSpore), header_size and page_size. `paths`: one per shard. AlreadyExists when a
  // file or its .db exists and `overwrite` is false (with it they are removed).
  static Result<std::unique_ptr<MindRecordWriter>> Create(std::vector<std::string> paths, MindRecordHeader schema,
                                                          bool overwrite);

  // InvalidArgument when a row does not fit in a page (naming the row and the page size).
  Status Write(const std::vector<MindRecordRow>& rows);
  // Writes the headers and the .db files; the writer takes no more rows afterwards.
  Status Commit();

  int64_t rows_written() const { return rows_written_; }

 private:
  struct Shard {
    std::string path;
    int fd = -1;
    std::vector<MindRecordPage> pages;
    int64_t rows = 0;
  };
  // One encoded row: what goes into its raw page and its blob page (without the lengths).
  struct Encoded {
    std::string raw;
    std::string blob;
  };

  explicit MindRecordWriter(MindRecordHeader header) : header_(std::move(header)) {}
  Status WriteShard(size_t shard, const std::vector<Encoded>& rows, size_t begin, size_t end);
  Status WriteAt(Shard& shard, int64_t offset, const std::string& bytes);
  int LastPage(const Shard& shard, bool blob) const;
  int64_t PageStart(int64_t page_id) const { return header_.header_size + page_id * header_.page_size; }

  MindRecordHeader header_;
  std::vector<Shard> shards_;
  int64_t rows_written_ = 0;
  bool committed_ = false;
};

}  // namespace headrace::engine
