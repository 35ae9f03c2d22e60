// DistributedSampler: shard `shard_id` of `num_shards`, as mindspore.dataset.DistributedSampler.
//
// Every shard reads ceil(rows / num_shards) rows, so that all shards have the same length:
// shard d takes positions d, d + num_shards, d + 2 * num_shards, ... of the (optionally
// shuffled) order, wrapping around to the start when it runs past the end (the padding
// rows repeat the first ones). All shards must use the same seed, so that they shuffle
// alike and together cover every row. num_samples > 0 caps the rows of each shard.
#pragma once

#include <random>

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class DistributedSampler : public Sampler {
 public:
  DistributedSampler(int64_t num_shards, int64_t shard_id, bool shuffle, int64_t num_samples,
                     uint64_t seed)
      : num_shards_(num_shards), shard_id_(shard_id), shuffle_(shuffle),
        num_samples_(num_samples), generator_(seed) {}

  Result<std::vector<int64_t>> Indices(int64_t source_size) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  const int64_t num_shards_;
  const int64_t shard_id_;
  const bool shuffle_;
  const int64_t num_samples_;
  std::mt19937_64 generator_;
};

}  // namespace headrace::engine
