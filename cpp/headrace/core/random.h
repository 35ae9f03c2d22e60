// Seeds and a small random generator for everything in the engine that draws random
// numbers per row (random transforms).
//
// Why per-row seeds: a map op's rows are dealt to its workers in blocks whose sizes
// depend on timing, so a generator per worker would give different images from run to
// run. Instead every row gets its own seed, mixed from the op's seed, the pass and the
// row's position in the pass; the same pipeline seed then gives the same images with any
// number of workers.
#pragma once

#include <cstdint>

namespace headrace {

// SplitMix64's finaliser: a bijection that spreads every input bit over the output.
inline uint64_t MixBits(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// A seed derived from `seed` and `value`; different values give unrelated seeds.
inline uint64_t MixSeed(uint64_t seed, uint64_t value) {
  return MixBits(seed + 0x9e3779b97f4a7c15ULL * (value + 1));
}

// SplitMix64: 8 bytes of state, fast, statistically good enough for augmentation, and
// cheap to create once per row. Not thread-safe; make one per row or per thread.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return MixBits(state_);
  }

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high).
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer in [low, high] (inclusive); low <= high.
  int64_t UniformInt(int64_t low, int64_t high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return span == 0 ? static_cast<int64_t>(Next()) : low + static_cast<int64_t>(Next() % span);
  }
  // True with probability `p`.
  bool Bernoulli(double p) { return Uniform() < p; }

 private:
  uint64_t state_;
};

}  // namespace headrace
