#include "headrace/engine/samplers/file_block_sampler.h"

#include <algorithm>
#include <numeric>

namespace headrace::engine {

int64_t FileBlockSampler::PassSize(int64_t source_size) const {
  const int64_t shards = std::max<int64_t>(num_shards_, 1);
  const int64_t per_shard = (source_size + shards - 1) / shards;
  return num_samples_ > 0 ? std::min(per_shard, num_samples_) : per_shard;
}

Result<std::vector<int64_t>> FileBlockSampler::Indices(int64_t source_size, int64_t pass) {
  std::mt19937_64 generator = PassGenerator(seed_, pass);
  const int64_t shards = std::max<int64_t>(num_shards_, 1);
  if (shard_id_ < 0 || shard_id_ >= shards) {
    return Status::InvalidArgument("FileBlockSampler: shard_id " + std::to_string(shard_id_) +
                                   " is not in [0, num_shards=" + std::to_string(shards) + ")");
  }
  const int64_t in_blocks = std::accumulate(block_rows_.begin(), block_rows_.end(), int64_t{0});
  if (in_blocks > source_size) {
    return Status::InvalidArgument("FileBlockSampler: the files hold " + std::to_string(in_blocks) +
                                   " rows, the source " + std::to_string(source_size));
  }
  // Where each block starts.
  std::vector<int64_t> starts(block_rows_.size());
  for (size_t b = 0, at = 0; b < block_rows_.size(); at += static_cast<size_t>(block_rows_[b]), ++b) {
    starts[b] = static_cast<int64_t>(at);
  }
  std::vector<int64_t> blocks(block_rows_.size());
  std::iota(blocks.begin(), blocks.end(), 0);
  if (mode_ == Mode::kFiles) ShuffleIndices(&blocks, &generator);
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(source_size));
  for (int64_t b : blocks) {
    const size_t first = order.size();
    for (int64_t r = 0; r < block_rows_[static_cast<size_t>(b)]; ++r) order.push_back(starts[static_cast<size_t>(b)] + r);
    if (mode_ == Mode::kInFile) {
      std::vector<int64_t> rows(order.begin() + static_cast<std::ptrdiff_t>(first), order.end());
      ShuffleIndices(&rows, &generator);
      std::copy(rows.begin(), rows.end(), order.begin() + static_cast<std::ptrdiff_t>(first));
    }
  }
  for (int64_t extra = in_blocks; extra < source_size; ++extra) order.push_back(extra);
  std::vector<int64_t> indices;
  if (source_size == 0) return indices;
  indices.resize(static_cast<size_t>(PassSize(source_size)));
  for (size_t k = 0; k < indices.size(); ++k) {
    indices[k] = order[static_cast<size_t>((static_cast<int64_t>(k) * shards + shard_id_) % source_size)];
  }
  return indices;
}

std::string FileBlockSampler::Describe() const {
  return std::string("FileBlockSampler(mode=") + (mode_ == Mode::kFiles ? "files" : "infile") +
         ", files=" + std::to_string(block_rows_.size()) + ", num_shards=" + std::to_string(num_shards_) +
         ", shard_id=" + std::to_string(shard_id_) + ", num_samples=" + NumSamplesText(num_samples_) + ")";
}

}  // namespace headrace::engine
