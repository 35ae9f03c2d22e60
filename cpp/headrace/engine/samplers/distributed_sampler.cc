#include "headrace/engine/samplers/distributed_sampler.h"

#include <algorithm>
#include <numeric>

namespace headrace::engine {

int64_t DistributedSampler::PassSize(int64_t source_size) const {
  const int64_t per_shard = (source_size + num_shards_ - 1) / num_shards_;
  return num_samples_ > 0 ? std::min(per_shard, num_samples_) : per_shard;
}

Result<std::vector<int64_t>> DistributedSampler::Indices(int64_t source_size) {
  if (num_shards_ < 1 || shard_id_ < 0 || shard_id_ >= num_shards_) {
    return Status::InvalidArgument("DistributedSampler: shard_id " + std::to_string(shard_id_) +
                                   " is not in [0, num_shards=" + std::to_string(num_shards_) + ")");
  }
  std::vector<int64_t> indices;
  if (source_size == 0) return indices;
  std::vector<int64_t> order(static_cast<size_t>(source_size));
  std::iota(order.begin(), order.end(), 0);
  if (shuffle_) ShuffleIndices(&order, &generator_);
  indices.resize(static_cast<size_t>(PassSize(source_size)));
  for (size_t k = 0; k < indices.size(); ++k) {
    indices[k] = order[(static_cast<int64_t>(k) * num_shards_ + shard_id_) % source_size];
  }
  return indices;
}

std::string DistributedSampler::Describe() const {
  return "DistributedSampler(num_shards=" + std::to_string(num_shards_) +
         ", shard_id=" + std::to_string(shard_id_) + ", shuffle=" + (shuffle_ ? "True" : "False") +
         ", num_samples=" + NumSamplesText(num_samples_) + ")";
}

}  // namespace headrace::engine
