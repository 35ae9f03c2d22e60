// TFRecordFormat: TFRecord files of tf.train.Example records as a RecordFormat, for
// RecordFilesOp (TFRecordDataset).
//
// The columns are fixed when the format is made: from a schema, or inferred from the
// first record of a file as MindSpore does (every feature, in name order), then narrowed
// to `columns_list` (in its order) when one is given. Every record must have every column's
// feature. Files are plain, GZIP or ZLIB, all alike.
//
// Reading: the framing (tfrecord_framing.h) reads big chunks or, for large records, one
// read per record straight into the record's own buffer; the decoder (example_decoder.h)
// turns it into tensors, large bytes values viewing that buffer. CountRows reads only the
// record headers of a plain file and inflates a compressed one.
//
// A plain file can be opened at any row (SeeksRows): the first CountRows or OpenAt of a
// file walks its record headers once and keeps where each record starts (8 bytes a
// record), so that the op's readers can read pieces of one file at the same time.
//
// Threading: Open, OpenAt and CountRows may be called from several threads (the record
// starts are kept under a lock); a reader belongs to one thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/engine/sources/record_file.h"
#include "headrace/engine/sources/tfrecord/byte_stream.h"
#include "headrace/engine/sources/tfrecord/example_decoder.h"

namespace headrace::engine::tfrecord {

class TFRecordFormat : public RecordFormat {
 public:
  // `schema` empty: the columns of the first record of `infer_from` (which must then be
  // given). `columns_list` empty: every column. InvalidArgument for a bad schema, a
  // columns_list name that is not a column (naming the schema or the file), an
  // `infer_from` without records; the file's own errors as Open gives them.
  static Result<std::shared_ptr<TFRecordFormat>> Make(std::vector<ColumnSpec> schema,
                                                      const std::vector<std::string>& columns_list,
                                                      Compression compression,
                                                      const std::string& infer_from = "");

  std::string name() const override { return "TFRecord"; }
  const std::vector<std::string>& column_names() const override { return names_; }
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  Compression compression() const { return compression_; }

  Result<std::unique_ptr<RecordFileReader>> Open(const std::string& path) const override;
  bool SeeksRows() const override { return compression_ == Compression::kNone; }
  Result<std::unique_ptr<RecordFileReader>> OpenAt(const std::string& path,
                                                   int64_t first_row) const override;
  Result<int64_t> CountRows(const std::string& path) const override;

  // Checks that `path` opens and that its first record header (if any) is sound, without
  // reading further: the cheap check a dataset makes of every file when it is made.
  Status CheckFile(const std::string& path) const;

 private:
  TFRecordFormat(std::vector<ColumnSpec> columns, Compression compression);

  // Where each record of plain file `path` starts, walked once and kept.
  Result<std::shared_ptr<const std::vector<int64_t>>> RecordStarts(const std::string& path) const;

  const std::vector<ColumnSpec> columns_;
  const std::vector<std::string> names_;
  const Compression compression_;

  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const std::vector<int64_t>>> record_starts_
      HEADRACE_GUARDED_BY(mu_);
};

// The framing of `path` opened as `compression` says (NotFound etc. naming the path).
Result<std::unique_ptr<FramingReader>> OpenFraming(const std::string& path, Compression compression);

// The columns MindSpore infers from the first record of `path`: every feature in name order.
// InvalidArgument if the file has no record.
Result<std::vector<ColumnSpec>> InferColumnsFromFile(const std::string& path, Compression compression);

}  // namespace headrace::engine::tfrecord
