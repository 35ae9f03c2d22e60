// AutoAugment and RandAugment: the same seed gives the same image, every output is one
// the policy can make (a sub-policy's operations, each applied or not, with either sign),
// and over many seeds the outputs come as often as the policy's probabilities say;
// argument and input errors name what is wrong.
#include "headrace/transforms/vision/auto_augment.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "vision_test_util.h"

namespace headrace::transforms {
namespace {

using testing::BytesOf;
using testing::Photo;

AugmentStyle Nearest() { return AugmentStyle{Interpolation::kPillowNearest, {0}}; }

TensorPtr Augmented(TensorOp& op, const TensorPtr& image, uint64_t seed) {
  TensorList columns = {image};
  const Status status = op.Compute(&columns, seed);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(columns.size(), 1u);
  return columns.front();
}

TEST(AutoAugmentTest, TheSameSeedGivesTheSameImageOnAnyThread) {
  auto op = *AutoAugment::Make("imagenet", Nearest());
  const TensorPtr image = Photo(24, 32);
  const std::string before = BytesOf(*image);
  std::vector<std::string> first;
  for (uint64_t seed = 0; seed < 40; ++seed) first.push_back(BytesOf(*Augmented(*op, image, seed)));
  std::vector<std::string> again(first.size());
  std::thread other([&] {
    for (uint64_t seed = 0; seed < 40; ++seed) again[seed] = BytesOf(*Augmented(*op, image, seed));
  });
  other.join();
  EXPECT_EQ(again, first);
  EXPECT_EQ(BytesOf(*image), before) << "the input image is left as it was";
  // Different seeds choose differently.
  EXPECT_GT(std::set<std::string>(first.begin(), first.end()).size(), 10u);
}

// The ImageNet policy (Cubuk et al. 2019; torchvision's AutoAugmentPolicy.IMAGENET): two
// steps of (operation, probability, magnitude bin of 10, -1 for none) per sub-policy.
struct Step {
  AugmentOp op;
  double probability;
  int bin;
};
using Op = AugmentOp;
const std::array<std::array<Step, 2>, 25> kImageNet = {{
    {{{Op::kPosterize, 0.4, 8}, {Op::kRotate, 0.6, 9}}},
    {{{Op::kSolarize, 0.6, 5}, {Op::kAutoContrast, 0.6, -1}}},
    {{{Op::kEqualize, 0.8, -1}, {Op::kEqualize, 0.6, -1}}},
    {{{Op::kPosterize, 0.6, 7}, {Op::kPosterize, 0.6, 6}}},
    {{{Op::kEqualize, 0.4, -1}, {Op::kSolarize, 0.2, 4}}},
    {{{Op::kEqualize, 0.4, -1}, {Op::kRotate, 0.8, 8}}},
    {{{Op::kSolarize, 0.6, 3}, {Op::kEqualize, 0.6, -1}}},
    {{{Op::kPosterize, 0.8, 5}, {Op::kEqualize, 1.0, -1}}},
    {{{Op::kRotate, 0.2, 3}, {Op::kSolarize, 0.6, 8}}},
    {{{Op::kEqualize, 0.6, -1}, {Op::kPosterize, 0.4, 6}}},
    {{{Op::kRotate, 0.8, 8}, {Op::kColor, 0.4, 0}}},
    {{{Op::kRotate, 0.4, 9}, {Op::kEqualize, 0.6, -1}}},
    {{{Op::kEqualize, 0.0, -1}, {Op::kEqualize, 0.8, -1}}},
    {{{Op::kInvert, 0.6, -1}, {Op::kEqualize, 1.0, -1}}},
    {{{Op::kColor, 0.6, 4}, {Op::kContrast, 1.0, 8}}},
    {{{Op::kRotate, 0.8, 8}, {Op::kColor, 1.0, 2}}},
    {{{Op::kColor, 0.8, 8}, {Op::kSolarize, 0.8, 7}}},
    {{{Op::kSharpness, 0.4, 7}, {Op::kInvert, 0.6, -1}}},
    {{{Op::kShearX, 0.6, 5}, {Op::kEqualize, 1.0, -1}}},
    {{{Op::kColor, 0.4, 0}, {Op::kEqualize, 0.6, -1}}},
    {{{Op::kEqualize, 0.4, -1}, {Op::kSolarize, 0.2, 4}}},
    {{{Op::kSolarize, 0.6, 5}, {Op::kAutoContrast, 0.6, -1}}},
    {{{Op::kInvert, 0.6, -1}, {Op::kEqualize, 1.0, -1}}},
    {{{Op::kColor, 0.6, 4}, {Op::kContrast, 1.0, 8}}},
    {{{Op::kEqualize, 0.8, -1}, {Op::kEqualize, 0.6, -1}}},
}};

// `op` at `bin` of `num_bins` on `image`, negated if `negative` and the op has a sign.
TensorPtr Apply(const TensorPtr& image, AugmentOp op, int bin, int num_bins, bool negative) {
  const ImageLayout layout{image->shape()[0], image->shape()[1], 3, true};
  double magnitude = bin < 0 ? 0.0 : AugmentMagnitude(op, bin, num_bins, layout.height, layout.width);
  if (negative && AugmentMagnitudeIsSigned(op)) magnitude = -magnitude;
  Result<TensorPtr> out = ApplyAugmentOp(image, layout, op, magnitude, Nearest());
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return *out;
}

// Every image the ImageNet policy can make of `image`, with its probability.
std::map<std::string, double> PolicyOutcomes(const TensorPtr& image) {
  std::map<std::string, double> outcomes;
  for (const auto& sub_policy : kImageNet) {
    for (int applied = 0; applied < 4; ++applied) {      // bit k: step k applied
      for (int negative = 0; negative < 4; ++negative) {  // bit k: step k's sign drawn negative
        double probability = 1.0 / 25 / 4;
        TensorPtr out = image;
        for (int k = 0; k < 2; ++k) {
          const Step& step = sub_policy[k];
          const bool apply = (applied >> k) & 1;
          probability *= apply ? step.probability : 1.0 - step.probability;
          if (apply) out = Apply(out, step.op, step.bin, 10, (negative >> k) & 1);
        }
        if (probability > 0) outcomes[BytesOf(*out)] += probability;
      }
    }
  }
  return outcomes;
}

TEST(AutoAugmentTest, OutputsFollowTheImageNetPolicy) {
  const TensorPtr image = Photo(24, 32, 5);
  const std::map<std::string, double> expected = PolicyOutcomes(image);
  auto op = *AutoAugment::Make("imagenet", Nearest());
  constexpr int kSeeds = 4000;
  std::map<std::string, int> seen;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    const std::string out = BytesOf(*Augmented(*op, image, seed * 7919 + 1));
    ASSERT_EQ(expected.count(out), 1u) << "seed " << seed << " made an image the policy cannot make";
    ++seen[out];
  }
  // Total variation distance between the frequencies and the policy's probabilities: 54
  // outcomes here, and the 4000 fixed seeds give 0.043; applying every step whatever its
  // probability would give 0.53, never negating a magnitude 0.17.
  double distance = 0;
  for (const auto& [out, probability] : expected) {
    const auto it = seen.find(out);
    const double frequency = it == seen.end() ? 0.0 : static_cast<double>(it->second) / kSeeds;
    distance += std::abs(frequency - probability) / 2;
  }
  EXPECT_LT(distance, 0.08) << expected.size() << " outcomes";
  // The unchanged image is an outcome (no step applied), about 1/10 of the time here.
  const std::string unchanged = BytesOf(*image);
  ASSERT_EQ(expected.count(unchanged), 1u);
  EXPECT_NEAR(static_cast<double>(seen[unchanged]) / kSeeds, expected.at(unchanged), 0.02);
}

TEST(AutoAugmentTest, TakesTheThreePoliciesAndNamesAnyOther) {
  for (const std::string policy : {"imagenet", "cifar10", "svhn"}) EXPECT_TRUE(AutoAugment::Make(policy, Nearest()).ok());
  for (const std::string policy : {"ImageNet", ""}) {
    const auto made = AutoAugment::Make(policy, Nearest());
    EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument) << policy;
    EXPECT_EQ(made.status().message(),
              "AutoAugment: policy must be 'imagenet', 'cifar10' or 'svhn', got '" + policy + "'");
  }
}

TEST(AutoAugmentTest, InputErrorsNameTheTransformAndWhatItGot) {
  auto op = *AutoAugment::Make("imagenet", Nearest());
  TensorList grey = {*Tensor::Create(DataType::kUInt8, {8, 8})};
  EXPECT_EQ(op->Compute(&grey, 0).message(),
            "AutoAugment: expected an image of shape (H, W) or (H, W, C) with 3 channels of uint8, got "
            "uint8 of shape [8, 8]");
  TensorList floats = {*Tensor::Create(DataType::kFloat32, {8, 8, 3})};
  EXPECT_EQ(op->Compute(&floats, 0).message(),
            "AutoAugment: expected an image of shape (H, W) or (H, W, C) with 3 channels of uint8, got "
            "float32 of shape [8, 8, 3]");
  TensorList two = {Photo(4, 4), Photo(4, 4)};
  EXPECT_EQ(op->Compute(&two, 0).message(), "AutoAugment: expected one column (the image), got 2");
}

TEST(RandAugmentTest, ArgumentErrorsNameTheArgument) {
  EXPECT_EQ(RandAugment::Make(-1, 9, 31, Nearest()).status().message(),
            "RandAugment: num_ops must be >= 0, got -1");
  EXPECT_EQ(RandAugment::Make(2, 0, 1, Nearest()).status().message(),
            "RandAugment: num_magnitude_bins must be >= 2, got 1");
  EXPECT_EQ(RandAugment::Make(2, 31, 31, Nearest()).status().message(),
            "RandAugment: magnitude must be in [0, num_magnitude_bins) = [0, 31), got 31");
  EXPECT_EQ(RandAugment::Make(2, -1, 31, Nearest()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(RandAugment::Make(0, 30, 31, Nearest()).ok());
}

TEST(RandAugmentTest, NoOperationsKeepTheImage) {
  auto op = *RandAugment::Make(0, 9, 31, Nearest());
  const TensorPtr image = Photo(16, 16);
  EXPECT_EQ(BytesOf(*Augmented(*op, image, 3)), BytesOf(*image));
}

TEST(RandAugmentTest, OneOperationIsOneOfTheFourteenAtTheMagnitudeEachAsOften) {
  // torchvision's list: every operation but Invert, with the magnitude of bin 9 of 31.
  const std::vector<AugmentOp> ops = {
      Op::kIdentity, Op::kShearX, Op::kShearY, Op::kTranslateX, Op::kTranslateY,
      Op::kRotate, Op::kBrightness, Op::kColor, Op::kContrast, Op::kSharpness,
      Op::kPosterize, Op::kSolarize, Op::kAutoContrast, Op::kEqualize};
  const TensorPtr image = Photo(24, 32, 2);
  std::map<std::string, double> expected;
  for (AugmentOp candidate : ops) {
    for (bool negative : {false, true}) expected[BytesOf(*Apply(image, candidate, 9, 31, negative))] += 1.0 / 28;
  }
  auto op = *RandAugment::Make(1, 9, 31, Nearest());
  constexpr int kSeeds = 2800;
  std::map<std::string, int> seen;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    const std::string out = BytesOf(*Augmented(*op, image, seed));
    ASSERT_EQ(expected.count(out), 1u) << "seed " << seed << " made an image no operation makes";
    ++seen[out];
  }
  double distance = 0;
  for (const auto& [out, probability] : expected) {
    distance += std::abs(static_cast<double>(seen[out]) / kSeeds - probability) / 2;
  }
  EXPECT_LT(distance, 0.06) << expected.size() << " outcomes";
  EXPECT_EQ(BytesOf(*Augmented(*op, image, 11)), BytesOf(*Augmented(*op, image, 11)));
}

}  // namespace
}  // namespace headrace::transforms
