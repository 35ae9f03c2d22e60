// The distributions the erasing, mixing and policy transforms draw from, on top of the
// per-row Random of headrace/core/random.h: normal and gamma variates, MindSpore's Beta
// (the ratio of two gamma variates), shuffles and ordered samples. Header-only; the
// functions only advance the Random they are given.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "headrace/core/random.h"

namespace headrace::transforms {

// A standard normal variate (Box-Muller on two uniforms; 1 - u keeps the logarithm finite).
inline double StandardNormal(Random& random) {
  const double u = 1.0 - random.Uniform();
  const double v = random.Uniform();
  constexpr double kTwoPi = 6.283185307179586;
  return std::sqrt(-2.0 * std::log(u)) * std::cos(kTwoPi * v);
}

// A Gamma(shape, 1) variate, shape > 0 (Marsaglia and Tsang; shape < 1 through
// Gamma(shape + 1) * U^(1 / shape)).
inline double Gamma(Random& random, double shape) {
  if (shape < 1.0) {
    const double u = 1.0 - random.Uniform();
    return Gamma(random, shape + 1.0) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = StandardNormal(random);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = 1.0 - random.Uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}

// Beta(alpha, alpha) as MindSpore's batch mixers draw it: x1 / (x1 + x2) for two
// Gamma(alpha, 1) floats.
inline float SymmetricBeta(Random& random, double alpha) {
  const auto x1 = static_cast<float>(Gamma(random, alpha));
  const auto x2 = static_cast<float>(Gamma(random, alpha));
  return x1 / (x1 + x2);
}

// 0 .. n-1 in a uniformly random order (Fisher-Yates).
inline std::vector<int64_t> RandomPermutation(Random& random, int64_t n) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(random.UniformInt(0, i))]);
  }
  return order;
}

// k of 0 .. n-1 chosen uniformly without replacement, in increasing order (std::sample's
// selection sampling: every k-subset equally likely, order kept). k <= n.
inline std::vector<int64_t> OrderedSample(Random& random, int64_t n, int64_t k) {
  std::vector<int64_t> chosen;
  chosen.reserve(static_cast<size_t>(k));
  for (int64_t i = 0; i < n && static_cast<int64_t>(chosen.size()) < k; ++i) {
    const int64_t needed = k - static_cast<int64_t>(chosen.size());
    if (random.UniformInt(0, n - i - 1) < needed) chosen.push_back(i);
  }
  return chosen;
}

}  // namespace headrace::transforms
