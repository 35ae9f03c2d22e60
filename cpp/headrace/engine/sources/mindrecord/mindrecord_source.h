// MindRecordSource: the rows of a MindRecord data set (a list of shard files) by index.
//
// Row order is MindSpore's: the files in the order given, and in each file its rows by row
// id (raw pages in page order, each raw page's row groups in order, each group the rows of
// one blob page). Open reads each file's header and its raw pages once, and walks the blob
// pages to learn where each row's blob starts (the files on a few threads at once); after
// that a row costs one pread of its blob (straight into the tensor's buffer when the data
// set has one uncompressed blob column) and the MessagePack decoding of its scalar columns
// from memory. GetBlock reads a run of consecutive rows of one bytes column with a single
// pread into one buffer that the rows' tensors view (a row kept alive keeps its run's
// buffer, at most kMaxSpanBytes). No lock is taken per row.
//
// Columns: scalars (int32, int64, float32, float64) as 0-d tensors, arrays with the
// schema's shape (a -1 dimension takes what is left), strings as 0-d string tensors, bytes
// as 1-D uint8. Padded rows (MindDataset's padded_sample) follow the data set's rows.
//
// Errors: Open gives NotFound / PermissionDenied for a file that cannot be opened,
// InvalidArgument for a file that is not MindRecord, whose schema differs from the first
// file's, or a column that does not exist, DataLoss naming the file and byte offset for a
// truncated or corrupt file. Get gives DataLoss naming the file and offset.
//
// Threading: immutable after Open (and SetPadded); Get is called from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/mindrecord/mindrecord_header.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::engine {

class MindRecordSource : public RandomAccessSource {
 public:
  // `files` in reading order; `columns` picks and orders the columns (empty: all, in the
  // schema's name order).
  static Result<std::shared_ptr<MindRecordSource>> Open(const std::vector<std::string>& files,
                                                        const std::vector<std::string>& columns);

  // The paths of the data set that `path` belongs to, from its header's shard_addresses
  // (the siblings sit in the same folder), as MindSpore finds them from one file.
  static Result<std::vector<std::string>> SiblingFiles(const std::string& path);

  // Rows `num_rows() .. num_rows() + count` become `padded` (one tensor per column, in
  // column_names() order). Call before the source is shared.
  Status SetPadded(std::vector<TensorPtr> padded, int64_t count);

  int64_t size() const override { return num_rows() + padded_count_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override;
  // Runs of consecutive rows whose bytes blobs lie back to back are read with one pread
  // per run (up to kMaxSpanBytes) into one buffer that the rows' bytes tensors view: big
  // reads move bytes faster than one read per row. Other rows go through Get().
  Status GetBlock(const int64_t* indices, size_t count, RowBlock* block) override;

  // Rows in the files (without padding), and per file.
  int64_t num_rows() const { return static_cast<int64_t>(rows_.size()); }
  const std::vector<int64_t>& file_rows() const { return file_rows_; }
  const MindRecordHeader& header() const { return files_.front().header; }
  // Mean bytes of a row's blob (what a read of one row moves).
  int64_t average_blob_bytes() const { return average_blob_bytes_; }

 private:
  struct File {
    std::unique_ptr<DataFile> data;
    MindRecordHeader header;
    std::string raw;  // the raw pages' used bytes, one after another
  };
  // Where row i lives.
  struct Row {
    int64_t blob_offset;  // in the file, of the blob's first byte (past its length)
    int64_t blob_length;
    int64_t raw_offset;   // in File::raw, of the MessagePack map
    uint32_t raw_length;
    uint32_t file;
  };
  // How a selected column is read.
  struct Column {
    const MindRecordColumn* spec;
    int blob_index;  // position in blob_fields, -1 for a raw column
  };

  static constexpr int64_t kMaxSpanBytes = int64_t{4} << 20;

  MindRecordSource() = default;
  // Row `location`'s columns into `row`. With `span` (a buffer holding the file's bytes
  // from `span_start`), the direct blob column is a view into it instead of a read.
  Status ReadRow(const Row& location, const BufferPtr& span, int64_t span_start, TensorRow* row) const;
  Status IndexFiles();
  static Status IndexFile(File* file, uint32_t file_index, std::vector<Row>* rows);
  Result<TensorPtr> BlobColumn(const Column& column, const BufferPtr& blob, std::string_view bytes,
                               const std::string& where) const;

  std::vector<File> files_;
  std::vector<Row> rows_;
  std::vector<int64_t> file_rows_;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  bool any_raw_ = false;
  bool any_blob_ = false;
  // One uncompressed blob column: the blob is the column, read straight into the tensor.
  bool direct_blob_ = false;
  // The direct blob column is selected and of bytes (views need no alignment).
  bool span_reads_ = false;
  bool compressed_ = false;
  int64_t average_blob_bytes_ = 0;
  std::vector<TensorPtr> padded_;
  int64_t padded_count_ = 0;
};

// The shape of an array column whose value has `num_bytes` bytes: the schema's, with a -1
// dimension filled in. DataLoss with `where` when the bytes do not fit the shape.
Result<Shape> MindRecordArrayShape(const MindRecordColumn& column, int64_t num_bytes, const std::string& where);

}  // namespace headrace::engine
