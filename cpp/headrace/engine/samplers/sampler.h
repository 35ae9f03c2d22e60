// Sampler: which rows of a random-access source one pass reads, and in what order.
//
// The source op calls Indices() once per pass (epoch or repetition). Random samplers draw
// each pass's order from a generator seeded with their seed and the pass's number
// (PassGenerator), not from one generator that runs on: the same seed gives the same
// sequence of passes, and a resumed pipeline draws pass p's order without drawing the
// p passes before it. Called from one thread at a time.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "headrace/core/result.h"

namespace headrace::engine {

class Sampler {
 public:
  virtual ~Sampler() = default;

  // The indices to read in pass number `pass` (0, 1, ... over the pipeline's epochs and
  // repetitions), each in [0, source_size).
  virtual Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) = 0;

  // How many rows a pass over `source_size` rows yields (for get_dataset_size).
  virtual int64_t PassSize(int64_t source_size) const = 0;

  // "SequentialSampler(start_index=0, num_samples=None)".
  virtual std::string Describe() const = 0;
};

// Shuffles `indices` in place with Fisher-Yates and our own draws: std::shuffle's
// algorithm differs between standard libraries, and the same seed must give the same
// order everywhere.
void ShuffleIndices(std::vector<int64_t>* indices, std::mt19937_64* generator);

// The generator a random sampler seeded with `seed` draws pass `pass` from.
std::mt19937_64 PassGenerator(uint64_t seed, int64_t pass);

// `num_samples` as Describe() shows it: the number, or "None" when not limited (<= 0).
std::string NumSamplesText(int64_t num_samples);

}  // namespace headrace::engine
