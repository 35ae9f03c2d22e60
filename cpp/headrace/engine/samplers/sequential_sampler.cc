#include "headrace/engine/samplers/sequential_sampler.h"

#include <algorithm>

namespace headrace::engine {

int64_t SequentialSampler::PassSize(int64_t source_size) const {
  const int64_t remaining = std::max<int64_t>(0, source_size - start_index_);
  return num_samples_ > 0 ? std::min(num_samples_, remaining) : remaining;
}

Result<std::vector<int64_t>> SequentialSampler::Indices(int64_t source_size, int64_t /*pass*/) {
  if (start_index_ < 0 || (source_size > 0 && start_index_ >= source_size)) {
    return Status::InvalidArgument("SequentialSampler: start_index " +
                                   std::to_string(start_index_) + " is out of range for " +
                                   std::to_string(source_size) + " rows");
  }
  std::vector<int64_t> indices(static_cast<size_t>(PassSize(source_size)));
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = start_index_ + static_cast<int64_t>(i);
  return indices;
}

std::string SequentialSampler::Describe() const {
  return "SequentialSampler(start_index=" + std::to_string(start_index_) + ", num_samples=" +
         NumSamplesText(num_samples_) + ")";
}

}  // namespace headrace::engine
