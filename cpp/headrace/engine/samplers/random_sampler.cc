#include "headrace/engine/samplers/random_sampler.h"

#include <algorithm>
#include <numeric>

namespace headrace::engine {

int64_t RandomSampler::PassSize(int64_t source_size) const {
  if (num_samples_ <= 0) return source_size;
  return replacement_ ? num_samples_ : std::min(num_samples_, source_size);
}

Result<std::vector<int64_t>> RandomSampler::Indices(int64_t source_size, int64_t pass) {
  std::mt19937_64 generator = PassGenerator(seed_, pass);
  std::vector<int64_t> indices;
  if (source_size == 0) return indices;
  if (replacement_) {
    std::uniform_int_distribution<int64_t> pick(0, source_size - 1);
    indices.resize(static_cast<size_t>(PassSize(source_size)));
    for (int64_t& index : indices) index = pick(generator);
    return indices;
  }
  indices.resize(static_cast<size_t>(source_size));
  std::iota(indices.begin(), indices.end(), 0);
  ShuffleIndices(&indices, &generator);
  indices.resize(static_cast<size_t>(PassSize(source_size)));
  return indices;
}

std::string RandomSampler::Describe() const {
  return std::string("RandomSampler(replacement=") + (replacement_ ? "True" : "False") +
         ", num_samples=" + NumSamplesText(num_samples_) + ")";
}

}  // namespace headrace::engine
