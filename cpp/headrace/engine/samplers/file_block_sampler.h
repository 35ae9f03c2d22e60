// FileBlockSampler: the orders of MindDataset's Shuffle.FILES and Shuffle.INFILE over a
// source whose rows come in blocks (one block per file, in file order).
//
//   kFiles   the blocks in a new random order every pass, the rows of each block in order
//   kInFile  the blocks in their order, the rows of each block in a new random order
// Rows past the blocks (MindDataset's padded rows) stay last, in order. With num_shards > 1
// the pass's order is then dealt as DistributedSampler deals it: shard d takes positions
// d, d + num_shards, ... wrapping around, ceil(rows / num_shards) rows each, so that shards
// built with the same seed read every row once between them. num_samples > 0 caps a pass.
// Each pass draws from PassGenerator(seed, pass): the same seed gives the same sequence of
// passes, whatever the number of workers reading them.
#pragma once

#include <random>
#include <vector>

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class FileBlockSampler : public Sampler {
 public:
  enum class Mode { kFiles, kInFile };

  FileBlockSampler(Mode mode, std::vector<int64_t> block_rows, int64_t num_shards, int64_t shard_id,
                   int64_t num_samples, uint64_t seed)
      : mode_(mode), block_rows_(std::move(block_rows)), num_shards_(num_shards), shard_id_(shard_id),
        num_samples_(num_samples), seed_(seed) {}

  // InvalidArgument when the blocks hold more rows than the source or the shard is out of range.
  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  const Mode mode_;
  const std::vector<int64_t> block_rows_;
  const int64_t num_shards_;
  const int64_t shard_id_;
  const int64_t num_samples_;
  const uint64_t seed_;
};

}  // namespace headrace::engine
