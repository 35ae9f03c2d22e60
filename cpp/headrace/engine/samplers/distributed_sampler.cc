#include "headrace/engine/samplers/distributed_sampler.h"

#include <algorithm>
#include <numeric>

namespace headrace::engine {

int64_t DistributedSampler::ShardSize(int64_t source_size) const {
  if (offset_ < 0) return (source_size + num_shards_ - 1) / num_shards_;
  // Positions p < source_size with p = k * num_shards + shard_id - offset for some k >= 0.
  const int64_t first = shard_id_ >= offset_ ? shard_id_ - offset_ : shard_id_ - offset_ + num_shards_;
  return first >= source_size ? 0 : (source_size - first + num_shards_ - 1) / num_shards_;
}

int64_t DistributedSampler::Position(int64_t k, int64_t source_size) const {
  if (offset_ < 0) return (k * num_shards_ + shard_id_) % source_size;
  const int64_t first = shard_id_ >= offset_ ? shard_id_ - offset_ : shard_id_ - offset_ + num_shards_;
  return first + k * num_shards_;
}

int64_t DistributedSampler::PassSize(int64_t source_size) const {
  const int64_t per_shard = ShardSize(source_size);
  return num_samples_ > 0 ? std::min(per_shard, num_samples_) : per_shard;
}

Result<std::vector<int64_t>> DistributedSampler::Indices(int64_t source_size, int64_t pass) {
  std::mt19937_64 generator = PassGenerator(seed_, pass);
  if (num_shards_ < 1 || shard_id_ < 0 || shard_id_ >= num_shards_) {
    return Status::InvalidArgument("DistributedSampler: shard_id " + std::to_string(shard_id_) +
                                   " is not in [0, num_shards=" + std::to_string(num_shards_) + ")");
  }
  if (offset_ < -1 || offset_ > num_shards_) {
    return Status::InvalidArgument("DistributedSampler: offset must be -1 or in [0, num_shards=" +
                                   std::to_string(num_shards_) + "], got " + std::to_string(offset_));
  }
  std::vector<int64_t> indices;
  if (source_size == 0) return indices;
  std::vector<int64_t> order(static_cast<size_t>(source_size));
  std::iota(order.begin(), order.end(), 0);
  if (shuffle_) ShuffleIndices(&order, &generator);
  indices.resize(static_cast<size_t>(PassSize(source_size)));
  for (size_t k = 0; k < indices.size(); ++k) {
    indices[k] = order[static_cast<size_t>(Position(static_cast<int64_t>(k), source_size))];
  }
  return indices;
}

std::string DistributedSampler::Describe() const {
  return "DistributedSampler(num_shards=" + std::to_string(num_shards_) +
         ", shard_id=" + std::to_string(shard_id_) + ", shuffle=" + (shuffle_ ? "True" : "False") +
         ", num_samples=" + NumSamplesText(num_samples_) + ", offset=" + std::to_string(offset_) + ")";
}

}  // namespace headrace::engine
