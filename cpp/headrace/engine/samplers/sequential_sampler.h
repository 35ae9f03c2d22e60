// SequentialSampler: rows start_index, start_index+1, ... in order, at most num_samples
// of them (num_samples <= 0: all that remain), as mindspore.dataset.SequentialSampler.
#pragma once

#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class SequentialSampler : public Sampler {
 public:
  SequentialSampler(int64_t start_index, int64_t num_samples)
      : start_index_(start_index), num_samples_(num_samples) {}

  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override;
  std::string Describe() const override;

 private:
  const int64_t start_index_;
  const int64_t num_samples_;
};

}  // namespace headrace::engine
