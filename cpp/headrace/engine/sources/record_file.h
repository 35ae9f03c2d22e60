// RecordFormat: how one file format (TFRecord, CSV, text lines) turns a file into rows.
//
// RecordFilesOp (engine/ops/record_files_op.h) reads a list of such files, several at once
// on its workers, in an order that does not depend on the worker count: the shard's files
// one after another, the rows of each file in the file's order. A format only knows how to
// open one file and read it front to back; the file order, shards and shuffles are the op's.
//
// Threading: a RecordFormat is immutable after construction and shared by the op's workers
// (Open and CountRows are called concurrently). A RecordFileReader is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/status.h"
#include "headrace/engine/row_block.h"

namespace headrace::engine {

// One open file of a format, read front to back.
class RecordFileReader {
 public:
  virtual ~RecordFileReader() = default;

  // Appends up to `max_rows` rows (columns only; the op numbers them) to `block`; sets
  // `*end` once the file has no more rows. A corrupt or truncated record is DataLoss whose
  // message names the file and the record's byte offset.
  virtual Status ReadRows(int64_t max_rows, RowBlock* block, bool* end) = 0;

  // Passes over the next `count` rows without decoding them (a shard that starts inside a
  // file); sets `*end` if the file ends first. The default reads the rows and drops them.
  virtual Status SkipRows(int64_t count, bool* end);
};

class RecordFormat {
 public:
  virtual ~RecordFormat() = default;

  // "TFRecord", "CSV", "TextFile": the op's name and the start of error messages.
  virtual std::string name() const = 0;
  // The column names of every row.
  virtual const std::vector<std::string>& column_names() const = 0;

  // `path` opened at its first row. NotFound / PermissionDenied / DataLoss / InvalidArgument
  // naming the path.
  virtual Result<std::unique_ptr<RecordFileReader>> Open(const std::string& path) const = 0;

  // True when OpenAt costs no more than Open (the format knows where each row starts):
  // the op then cuts long files into pieces that several readers read at once.
  virtual bool SeeksRows() const { return false; }
  // `path` opened at row `first_row`. The default opens it and skips the rows before.
  virtual Result<std::unique_ptr<RecordFileReader>> OpenAt(const std::string& path,
                                                           int64_t first_row) const;

  // The number of rows in `path`, as cheaply as the format allows (TFRecord reads only the
  // record headers; text has to count lines). For get_dataset_size and equal-row shards.
  virtual Result<int64_t> CountRows(const std::string& path) const = 0;
};

}  // namespace headrace::engine
