#include "headrace/engine/samplers/subset_sampler.h"

#include <algorithm>

namespace headrace::engine {

int64_t SubsetSampler::PassSize(int64_t source_size) const {
  const auto count = static_cast<int64_t>(indices_.size());
  return num_samples_ > 0 ? std::min(count, num_samples_) : count;
}

Result<std::vector<int64_t>> SubsetSampler::Indices(int64_t source_size, int64_t pass) {
  std::mt19937_64 generator = PassGenerator(seed_, pass);
  for (size_t i = 0; i < indices_.size(); ++i) {
    if (indices_[i] < 0 || indices_[i] >= source_size) {
      return Status::OutOfRange("sampler indices[" + std::to_string(i) + "] = " +
                                std::to_string(indices_[i]) + " is outside a source of " +
                                std::to_string(source_size) + " rows");
    }
  }
  std::vector<int64_t> order = indices_;
  if (shuffle_) ShuffleIndices(&order, &generator);
  order.resize(static_cast<size_t>(PassSize(source_size)));
  return order;
}

std::string SubsetSampler::Describe() const {
  return std::string(shuffle_ ? "SubsetRandomSampler" : "SubsetSampler") + "(" +
         std::to_string(indices_.size()) + " indices)";
}

}  // namespace headrace::engine
