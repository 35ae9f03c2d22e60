// Transforms that choose other transforms at random per row (mindspore.dataset.vision
// RandomSelectSubpolicy, UniformAugment, TrivialAugmentWide).
//
//   RandomSelectSubpolicy(policy)  one sub-policy drawn uniformly; each of its (op, prob)
//       steps, in order, applied with probability prob.
//   UniformAugment(transforms, num_ops)  num_ops of the transforms drawn without
//       replacement (every subset equally likely, the list's order kept, as std::sample);
//       each applied with probability 1/2.
//   TrivialAugmentWide(num_magnitude_bins, style)  one of 14 operations drawn uniformly,
//       at a magnitude bin drawn uniformly with a random sign where it has one, over
//       MindSpore's "wide" space: shears up to 0.99 radians, translations up to 32 pixels,
//       rotations up to 135 degrees, colour, contrast, brightness and sharpness factors
//       1 +- 0.99, posterize from 8 bits down to 2, solarize thresholds from 255 down to 0;
//       uint8 (H, W, 3) images; the operations of augment_ops.h (MindSpore's with its
//       interpolations, torchvision's with Pillow's). MindSpore's own draws favour the first operation, bin 0
//       and the positive sign (its RandInt folds high + 1 onto low); these are uniform.
//
// The transforms a policy holds get seeds mixed from the row's seed and their place in the
// row's sequence of applications, so the same seed repeats every choice and every inner
// draw with any number of workers. Inner transforms may be Python callables (wrapped by the
// bindings); those draw from Python's own generators.
// Thread-safe as far as the transforms they hold are (native ones are).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/augment_ops.h"

namespace headrace::transforms {

using TensorOpPtr = std::shared_ptr<transforms::TensorOp>;

struct PolicyStep {
  TensorOpPtr op;
  double prob;
};
using SubPolicy = std::vector<PolicyStep>;

class RandomSelectSubpolicy : public transforms::TensorOp {
 public:
  // InvalidArgument for an empty policy or sub-policy, a null op or a prob outside [0, 1].
  static Result<std::shared_ptr<RandomSelectSubpolicy>> Make(std::vector<SubPolicy> policy);
  explicit RandomSelectSubpolicy(std::vector<SubPolicy> policy) : policy_(std::move(policy)) {}

  std::string name() const override { return "RandomSelectSubpolicy"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  void Cancel() override;
  void ClearCancel() override;

 private:
  const std::vector<SubPolicy> policy_;
};

class UniformAugment : public transforms::TensorOp {
 public:
  // InvalidArgument for no transforms, a null one, or num_ops outside [1, transforms].
  static Result<std::shared_ptr<UniformAugment>> Make(std::vector<TensorOpPtr> transforms, int64_t num_ops);
  UniformAugment(std::vector<TensorOpPtr> transforms, int64_t num_ops)
      : transforms_(std::move(transforms)), num_ops_(num_ops) {}

  std::string name() const override { return "UniformAugment"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  void Cancel() override;
  void ClearCancel() override;

 private:
  const std::vector<TensorOpPtr> transforms_;
  const int64_t num_ops_;
};

class TrivialAugmentWide : public transforms::TensorOp {
 public:
  // InvalidArgument unless num_magnitude_bins >= 2.
  static Result<std::shared_ptr<TrivialAugmentWide>> Make(int num_magnitude_bins, AugmentStyle style);
  TrivialAugmentWide(int num_magnitude_bins, AugmentStyle style)
      : num_magnitude_bins_(num_magnitude_bins), style_(std::move(style)) {}

  std::string name() const override { return "TrivialAugmentWide"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // What a row with `seed` gets: the operation and its
  // signed magnitude (the draws Compute makes).
  struct Choice {
    AugmentOp op;
    double magnitude;
  };
  Choice Choose(uint64_t seed) const;
  // `op` at `magnitude` on `image` (what Compute does with a Choice).
  Result<TensorPtr> Apply(const TensorPtr& image, AugmentOp op, double magnitude) const;

  // The magnitude of `op` at `bin` in MindSpore's wide space (unsigned; 0 for the
  // operations without one), as MindSpore's float Linspace computes it.
  static double WideMagnitude(AugmentOp op, int bin, int num_bins);

 private:
  const int num_magnitude_bins_;
  const AugmentStyle style_;
};

}  // namespace headrace::transforms
