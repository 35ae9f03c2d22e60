// RandomSampler: a random order of the rows, drawn anew for every pass, as
// mindspore.dataset.RandomSampler. Without replacement it is a permutation (of the first
// num_samples rows of it, when num_samples > 0); with replacement num_samples draws (all
// rows' worth when num_samples <= 0). Each pass draws from PassGenerator(seed, pass), so the
// same seed gives the same sequence of passes.
#pragma once

#include <random>

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class RandomSampler : public Sampler {
 public:
  RandomSampler(bool replacement, int64_t num_samples, uint64_t seed)
      : replacement_(replacement), num_samples_(num_samples), seed_(seed) {}

  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  const bool replacement_;
  const int64_t num_samples_;
  const uint64_t seed_;
};

}  // namespace headrace::engine
