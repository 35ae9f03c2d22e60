// FuseTransforms: which neighbours it fuses (Decode then RandomResizedCrop), what it leaves
// alone, and that a fused chain run as a map op runs it (seed of step k: MixSeed(row
// seed, k), a step standing for n steps counting as n, see engine/ops/map_op.h) gives the
// rows of the unfused chain: the same pixels for a PNG, within the fused decode's
// resampling tolerance for a JPEG, and the same seeds for the steps after it.
#include "headrace/transforms/fusion.h"

#include <gtest/gtest.h>

#include "headrace/core/random.h"
#include "headrace/transforms/type_cast.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/decode.h"
#include "headrace/transforms/vision/decode_random_resized_crop.h"
#include "headrace/transforms/vision/flip.h"
#include "vision/vision_test_util.h"

namespace headrace::transforms {
namespace {

using testing::BytesOf;
using testing::Difference;
using testing::EncodeJpeg;
using testing::EncodePng;
using testing::Photo;
using Chain = std::vector<std::shared_ptr<TensorOp>>;

std::shared_ptr<RandomResizedCrop> CropTo(int64_t height, int64_t width) {
  RandomResizedCropParams params;
  params.height = height;
  params.width = width;
  params.interpolation = Interpolation::kPillowBilinear;
  return std::make_shared<RandomResizedCrop>(params);
}

// The names of the chain's steps, "*" marking a fused one (one standing for several).
std::vector<std::string> Steps(const Chain& chain) {
  std::vector<std::string> out;
  for (const auto& op : chain) out.push_back(op->name() + (op->chain_steps() > 1 ? "*" : ""));
  return out;
}

TEST(FusionTest, FusesDecodeFollowedByRandomResizedCrop) {
  const Chain fused = FuseTransforms({std::make_shared<Decode>(), CropTo(20, 12)});
  ASSERT_EQ(fused.size(), 1u);
  ASSERT_NE(dynamic_cast<DecodeRandomResizedCrop*>(fused[0].get()), nullptr);
  EXPECT_EQ(fused[0]->chain_steps(), 2);
  // It crops to the crop's size.
  TensorList columns = {EncodePng(*Photo(40, 50))};
  ASSERT_TRUE(fused[0]->Compute(&columns, 3).ok());
  EXPECT_EQ(columns[0]->shape(), (Shape{20, 12, 3}));
}

TEST(FusionTest, LeavesOtherNeighboursAlone) {
  const auto decode = std::make_shared<Decode>();
  const auto crop = CropTo(8, 8);
  const auto cast = std::make_shared<TypeCast>(DataType::kFloat32);
  for (const Chain& chain : {Chain{}, Chain{decode}, Chain{crop}, Chain{crop, decode},
                             Chain{decode, cast, crop}, Chain{cast, crop, decode}}) {
    EXPECT_EQ(FuseTransforms(chain), chain) << "the same ops, in the same order";
  }
}

TEST(FusionTest, FusesEveryPairOfAChainAndKeepsTheRest) {
  const auto decode = std::make_shared<Decode>();
  const auto cast = std::make_shared<TypeCast>(DataType::kFloat32);
  const auto flip = std::make_shared<RandomHorizontalFlip>(0.5);
  const Chain fused = FuseTransforms({decode, decode, CropTo(8, 8), flip, cast, decode, CropTo(4, 4)});
  EXPECT_EQ(Steps(fused), (std::vector<std::string>{"Decode", "Decode+RandomResizedCrop*", "RandomHorizontalFlip",
                                                    "TypeCast", "Decode+RandomResizedCrop*"}));
  EXPECT_EQ(fused[0], decode);
  EXPECT_EQ(fused[2], flip);
  EXPECT_EQ(fused[3], cast);
}

// Runs `chain` on one row as a map op does: step k (counting chain_steps) gets
// MixSeed(row_seed, k), an op standing for several steps the seed of its last.
TensorPtr RunAsMap(const Chain& chain, const TensorPtr& input, uint64_t row_seed) {
  TensorList columns = {input};
  uint64_t step = 0;
  for (const auto& op : chain) {
    step += static_cast<uint64_t>(op->chain_steps());
    const Status status = op->Compute(&columns, MixSeed(row_seed, step - 1));
    EXPECT_TRUE(status.ok()) << op->name() << ": " << status.ToString();
    if (!status.ok()) return nullptr;
  }
  return columns.front();
}

// Decode, RandomResizedCrop(24 x 32), RandomHorizontalFlip(0.5): a random step after the
// fused pair shows whether the seeds after it moved.
Chain DecodeCropFlip() {
  return {std::make_shared<Decode>(), CropTo(24, 32), std::make_shared<RandomHorizontalFlip>(0.5)};
}

TEST(FusionTest, AFusedChainGivesTheUnfusedRowsOfAPngExactly) {
  const Chain unfused = DecodeCropFlip();
  const Chain fused = FuseTransforms(DecodeCropFlip());
  ASSERT_EQ(Steps(fused), (std::vector<std::string>{"Decode+RandomResizedCrop*", "RandomHorizontalFlip"}));
  const TensorPtr png = EncodePng(*Photo(60, 80));
  // Without the flip the outputs would match whatever seed the flip got: check that both
  // of its outcomes occur, so that equal outputs mean equal flip seeds.
  const Chain no_flip = FuseTransforms({std::make_shared<Decode>(), CropTo(24, 32)});
  int flipped = 0;
  for (uint64_t row_seed = 0; row_seed < 30; ++row_seed) {
    const TensorPtr expected = RunAsMap(unfused, png, row_seed);
    ASSERT_NE(expected, nullptr);
    EXPECT_EQ(BytesOf(*RunAsMap(fused, png, row_seed)), BytesOf(*expected)) << "row seed " << row_seed;
    flipped += BytesOf(*RunAsMap(no_flip, png, row_seed)) != BytesOf(*expected);
  }
  EXPECT_GT(flipped, 5);
  EXPECT_LT(flipped, 25);
}

TEST(FusionTest, AFusedChainGivesTheUnfusedRowsOfAJpegWithinTheResamplingTolerance) {
  // The tolerance of decode_random_resized_crop.h (see its test); a flip chosen differently
  // would be far outside it.
  const Chain unfused = DecodeCropFlip();
  const Chain fused = FuseTransforms(DecodeCropFlip());
  const TensorPtr jpeg = EncodeJpeg(*Photo(150, 200, 3));
  for (uint64_t row_seed = 0; row_seed < 30; ++row_seed) {
    const auto difference = Difference(*RunAsMap(fused, jpeg, row_seed), *RunAsMap(unfused, jpeg, row_seed));
    EXPECT_LT(difference.mean, 2.5) << "row seed " << row_seed;
    EXPECT_LE(difference.percentile_99, 16) << "row seed " << row_seed;
  }
}

}  // namespace
}  // namespace headrace::transforms
