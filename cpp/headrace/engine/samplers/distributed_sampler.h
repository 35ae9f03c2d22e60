// DistributedSampler: shard `shard_id` of `num_shards`, as mindspore.dataset.DistributedSampler.
//
// Every shard reads ceil(rows / num_shards) rows, so that all shards have the same length:
// shard d takes positions d, d + num_shards, d + 2 * num_shards, ... of the (optionally
// shuffled) order, wrapping around to the start when it runs past the end (the padding
// rows repeat the first ones). All shards must use the same seed, so that they shuffle
// alike and together cover every row. num_samples > 0 caps the rows of each shard.
//
// With offset >= 0 (MindSpore's `offset`) the rows are dealt without padding, row 0 to
// shard `offset`, row 1 to the next shard, and so on round the shards: shard d takes the
// positions p with (p + offset) % num_shards == d, so shards may differ by one row. A
// concat sets each child's offset to where the previous children stopped, which deals
// the whole concatenation round the shards as one dataset (combine.py).
#pragma once

#include <random>

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class DistributedSampler : public Sampler {
 public:
  // offset: -1 (even shards, padded) or in [0, num_shards].
  DistributedSampler(int64_t num_shards, int64_t shard_id, bool shuffle, int64_t num_samples,
                     uint64_t seed, int64_t offset = -1)
      : num_shards_(num_shards), shard_id_(shard_id), shuffle_(shuffle),
        num_samples_(num_samples), offset_(offset), seed_(seed) {}

  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  // Rows of this shard before the num_samples cap.
  int64_t ShardSize(int64_t source_size) const;
  // The position, in the (shuffled) order, of this shard's k-th row.
  int64_t Position(int64_t k, int64_t source_size) const;

  const int64_t num_shards_;
  const int64_t shard_id_;
  const bool shuffle_;
  const int64_t num_samples_;
  const int64_t offset_;
  const uint64_t seed_;
};

}  // namespace headrace::engine
