// SubsetSampler: the given row indices, in the given order (mindspore.dataset.SubsetSampler),
// or, with `shuffle`, in a new random order every pass (SubsetRandomSampler). num_samples
// > 0 keeps only that many of them. An index outside the source is an error naming it.
#pragma once

#include <random>

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class SubsetSampler : public Sampler {
 public:
  SubsetSampler(std::vector<int64_t> indices, bool shuffle, int64_t num_samples, uint64_t seed)
      : indices_(std::move(indices)), shuffle_(shuffle), num_samples_(num_samples),
        seed_(seed) {}

  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  const std::vector<int64_t> indices_;
  const bool shuffle_;
  const int64_t num_samples_;
  const uint64_t seed_;
};

}  // namespace headrace::engine
