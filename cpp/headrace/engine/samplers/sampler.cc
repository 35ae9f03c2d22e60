#include "headrace/engine/samplers/sampler.h"

#include <utility>

#include "headrace/core/random.h"

namespace headrace::engine {

void ShuffleIndices(std::vector<int64_t>* indices, std::mt19937_64* generator) {
  for (int64_t i = static_cast<int64_t>(indices->size()) - 1; i > 0; --i) {
    std::uniform_int_distribution<int64_t> pick(0, i);
    std::swap((*indices)[i], (*indices)[pick(*generator)]);
  }
}

std::mt19937_64 PassGenerator(uint64_t seed, int64_t pass) {
  return std::mt19937_64(MixSeed(seed, static_cast<uint64_t>(pass)));
}

std::string NumSamplesText(int64_t num_samples) {
  return num_samples > 0 ? std::to_string(num_samples) : "None";
}

}  // namespace headrace::engine
