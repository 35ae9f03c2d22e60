// FileShardPlan: which rows of which files one shard reads in one pass, and in what order.
//
// The files of a data set are read one after another. Each pass (epoch or repetition) the
// plan may put them in a new order, drawn from (seed, pass) alone, so that every shard of
// a distributed job, each given the same seed, draws the same order, and the worker count
// plays no part. Then the shard's part is cut, as MindSpore cuts it:
//   - by files (TFRecord by default): shard i reads the files at positions i, i + N, ...
//     of the pass's order, whole;
//   - by rows (CSV, text, TFRecord with shard_equal_rows): the rows of all files one after
//     another are cut into N runs of ceil(rows / N); shard i reads run i, going on from the
//     first row again if the run passes the end, so every shard reads the same number of
//     rows. This needs every file's row count.
// Immutable after Make; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/result.h"

namespace headrace::engine {

// Rows [first_row, end_row) of file `file` (an index into the data set's files);
// end_row < 0 means to the end of the file.
struct FileSpan {
  int64_t file = 0;
  int64_t first_row = 0;
  int64_t end_row = -1;

  bool operator==(const FileSpan& other) const {
    return file == other.file && first_row == other.first_row && end_row == other.end_row;
  }
};

struct ShardOptions {
  int64_t num_shards = 1;
  int64_t shard_id = 0;
  bool shuffle_files = false;
  // Cut by rows rather than by files.
  bool equal_rows = false;
  uint64_t seed = 0;
};

class FileShardPlan {
 public:
  // `file_rows` holds every file's row count; it is needed when options.equal_rows, and
  // for ShardRows otherwise (it may then be empty). InvalidArgument naming num_shards or
  // shard_id when they are out of range, and, when cutting by files, num_shards larger
  // than the number of files (some shard would get nothing).
  static Result<FileShardPlan> Make(int64_t num_files, ShardOptions options,
                                    std::vector<int64_t> file_rows);

  // The spans of `pass`, in reading order.
  std::vector<FileSpan> Spans(int64_t pass) const;

  // How many rows the shard reads in `pass` (needs the row counts).
  int64_t ShardRows(int64_t pass) const;

  // The order of the files in `pass`: a permutation of 0..num_files-1.
  std::vector<int64_t> FileOrder(int64_t pass) const;

  const ShardOptions& options() const { return options_; }
  int64_t num_files() const { return num_files_; }

  // "shards=4, shard_id=1, by files, files shuffled".
  std::string Describe() const;

 private:
  FileShardPlan(int64_t num_files, ShardOptions options, std::vector<int64_t> file_rows)
      : num_files_(num_files), options_(options), file_rows_(std::move(file_rows)) {}

  std::vector<FileSpan> RowSpans(const std::vector<int64_t>& order) const;

  int64_t num_files_;
  ShardOptions options_;
  std::vector<int64_t> file_rows_;
};

}  // namespace headrace::engine
