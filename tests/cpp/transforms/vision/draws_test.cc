// The distributions of draws.h: gamma and Beta moments, permutations and ordered samples
// uniform, everything a function of the Random's seed alone.
#include "headrace/transforms/vision/draws.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <vector>

namespace headrace::transforms {
namespace {

struct Moments {
  double mean, variance;
};

template <typename Draw>
Moments MomentsOf(int n, Draw draw) {
  std::vector<double> values(static_cast<size_t>(n));
  for (double& v : values) v = draw();
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, squares / n};
}

TEST(DrawsTest, GammaHasMeanAndVarianceShape) {
  for (double shape : {0.3, 1.0, 2.5, 7.0}) {
    Random random(static_cast<uint64_t>(shape * 100));
    const Moments m = MomentsOf(40000, [&] { return Gamma(random, shape); });
    EXPECT_NEAR(m.mean, shape, 0.04 * shape + 0.01) << shape;
    EXPECT_NEAR(m.variance, shape, 0.08 * shape + 0.02) << shape;
  }
}

TEST(DrawsTest, SymmetricBetaHasMeanHalfAndBetaVariance) {
  for (double alpha : {0.2, 1.0, 4.0}) {
    Random random(3);
    const Moments m = MomentsOf(40000, [&] { return static_cast<double>(SymmetricBeta(random, alpha)); });
    EXPECT_NEAR(m.mean, 0.5, 0.01) << alpha;
    EXPECT_NEAR(m.variance, 1.0 / (4.0 * (2.0 * alpha + 1.0)), 0.006) << alpha;
  }
}

TEST(DrawsTest, StandardNormalMoments) {
  Random random(11);
  const Moments m = MomentsOf(40000, [&] { return StandardNormal(random); });
  EXPECT_NEAR(m.mean, 0.0, 0.02);
  EXPECT_NEAR(m.variance, 1.0, 0.03);
}

TEST(DrawsTest, PermutationsAreUniform) {
  Random random(5);
  std::map<std::vector<int64_t>, int> counts;
  for (int i = 0; i < 24000; ++i) ++counts[RandomPermutation(random, 4)];
  ASSERT_EQ(counts.size(), 24u);  // every order of four
  for (const auto& [order, count] : counts) EXPECT_NEAR(count, 1000, 150);
}

TEST(DrawsTest, OrderedSamplesAreUniformSubsetsInOrder) {
  Random random(9);
  std::map<std::vector<int64_t>, int> counts;
  for (int i = 0; i < 20000; ++i) {
    const std::vector<int64_t> chosen = OrderedSample(random, 5, 2);
    ASSERT_EQ(chosen.size(), 2u);
    ASSERT_LT(chosen[0], chosen[1]);
    ++counts[chosen];
  }
  ASSERT_EQ(counts.size(), 10u);  // 5 choose 2
  for (const auto& [subset, count] : counts) EXPECT_NEAR(count, 2000, 250);
  EXPECT_EQ(OrderedSample(random, 3, 3), (std::vector<int64_t>{0, 1, 2}));
}

TEST(DrawsTest, TheSameSeedDrawsTheSame) {
  Random a(42), b(42);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Gamma(a, 0.7), Gamma(b, 0.7));
  EXPECT_EQ(RandomPermutation(a, 10), RandomPermutation(b, 10));
}

}  // namespace
}  // namespace headrace::transforms
