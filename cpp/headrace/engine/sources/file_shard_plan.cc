#include "headrace/engine/sources/file_shard_plan.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "headrace/core/random.h"
#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

Result<FileShardPlan> FileShardPlan::Make(int64_t num_files, ShardOptions options,
                                          std::vector<int64_t> file_rows) {
  if (options.num_shards < 1) {
    return Status::InvalidArgument("num_shards must be at least 1, got " +
                                   std::to_string(options.num_shards));
  }
  if (options.shard_id < 0 || options.shard_id >= options.num_shards) {
    return Status::InvalidArgument("shard_id must be in [0, " + std::to_string(options.num_shards) +
                                   "), got " + std::to_string(options.shard_id));
  }
  if (!file_rows.empty() && static_cast<int64_t>(file_rows.size()) != num_files) {
    return Status::InvalidArgument("FileShardPlan: " + std::to_string(file_rows.size()) +
                                   " row counts for " + std::to_string(num_files) + " files");
  }
  if (options.equal_rows && file_rows.empty() && num_files > 0) {
    return Status::InvalidArgument("FileShardPlan: cutting by rows needs the files' row counts");
  }
  if (!options.equal_rows && options.num_shards > num_files) {
    return Status::InvalidArgument("num_shards (" + std::to_string(options.num_shards) +
                                   ") is larger than the number of files (" +
                                   std::to_string(num_files) +
                                   "): some shard would read nothing; give more files or "
                                   "shard_equal_rows=True");
  }
  return FileShardPlan(num_files, options, std::move(file_rows));
}

std::vector<int64_t> FileShardPlan::FileOrder(int64_t pass) const {
  std::vector<int64_t> order(static_cast<size_t>(num_files_));
  std::iota(order.begin(), order.end(), 0);
  if (options_.shuffle_files) {
    std::mt19937_64 generator(MixSeed(options_.seed, static_cast<uint64_t>(pass)));
    ShuffleIndices(&order, &generator);
  }
  return order;
}

std::vector<FileSpan> FileShardPlan::Spans(int64_t pass) const {
  const std::vector<int64_t> order = FileOrder(pass);
  if (options_.equal_rows) return RowSpans(order);
  std::vector<FileSpan> spans;
  for (size_t position = static_cast<size_t>(options_.shard_id); position < order.size();
       position += static_cast<size_t>(options_.num_shards)) {
    spans.push_back(FileSpan{order[position], 0, -1});
  }
  return spans;
}

std::vector<FileSpan> FileShardPlan::RowSpans(const std::vector<int64_t>& order) const {
  const int64_t total = std::accumulate(file_rows_.begin(), file_rows_.end(), int64_t{0});
  std::vector<FileSpan> spans;
  if (total == 0) return spans;
  const int64_t per_shard = (total + options_.num_shards - 1) / options_.num_shards;
  // The shard's rows are [begin, begin + per_shard) of the files one after another,
  // taken modulo the total: the last shard wraps round to the first rows.
  int64_t begin = (options_.shard_id * per_shard) % total;
  int64_t wanted = per_shard;
  while (wanted > 0) {
    int64_t file_start = 0;  // position of the current file's first row
    for (int64_t file : order) {
      const int64_t rows = file_rows_[static_cast<size_t>(file)];
      const int64_t file_end = file_start + rows;
      if (wanted > 0 && begin < file_end && rows > 0) {
        const int64_t first = begin - file_start;
        const int64_t count = std::min(wanted, rows - first);
        spans.push_back(FileSpan{file, first, first + count});
        begin += count;
        wanted -= count;
      }
      file_start = file_end;
    }
    begin = 0;  // wrap round
  }
  return spans;
}

int64_t FileShardPlan::ShardRows(int64_t pass) const {
  int64_t rows = 0;
  for (const FileSpan& span : Spans(pass)) {
    const int64_t end = span.end_row >= 0 ? span.end_row : file_rows_[static_cast<size_t>(span.file)];
    rows += end - span.first_row;
  }
  return rows;
}

std::string FileShardPlan::Describe() const {
  std::string text = "files=" + std::to_string(num_files_);
  if (options_.num_shards > 1) {
    text += ", shards=" + std::to_string(options_.num_shards) + ", shard_id=" +
            std::to_string(options_.shard_id) + (options_.equal_rows ? ", by rows" : ", by files");
  }
  if (options_.shuffle_files) text += ", files shuffled";
  return text;
}

}  // namespace headrace::engine
