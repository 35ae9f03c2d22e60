// AutoAugment and RandAugment (mindspore.dataset.vision names and arguments), on uint8
// RGB images, drawing every choice from the row's seed.
//
// AutoAugment(policy): one of the policy's 25 sub-policies (IMAGENET, CIFAR10 or SVHN:
// auto_augment_policies.h), each two operations applied with their own probability and
// magnitude, a magnitude's sign drawn at random where it has one.
// RandAugment(num_ops, magnitude, num_magnitude_bins): num_ops operations drawn uniformly
// from 14 (augment_ops.h), each at bin `magnitude` of num_magnitude_bins, random sign.
// Thread-safe: the ops hold only their parameters.
#pragma once

#include <memory>
#include <string>

#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/augment_ops.h"
#include "headrace/transforms/vision/auto_augment_policies.h"

namespace headrace::transforms {

class AutoAugment : public transforms::TensorOp {
 public:
  // policy "imagenet", "cifar10" or "svhn" (InvalidArgument otherwise).
  static Result<std::shared_ptr<AutoAugment>> Make(const std::string& policy, AugmentStyle style);
  // `policy`: one of the tables of auto_augment_policies.h (static; not owned).
  AutoAugment(const auto_augment::Policy* policy, AugmentStyle style) : policy_(policy), style_(std::move(style)) {}

  std::string name() const override { return "AutoAugment"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const auto_augment::Policy* const policy_;
  const AugmentStyle style_;
};

class RandAugment : public transforms::TensorOp {
 public:
  // InvalidArgument naming the argument: num_ops < 0, num_magnitude_bins < 2, magnitude
  // outside [0, num_magnitude_bins).
  static Result<std::shared_ptr<RandAugment>> Make(int num_ops, int magnitude, int num_magnitude_bins,
                                                   AugmentStyle style);
  RandAugment(int num_ops, int magnitude, int num_magnitude_bins, AugmentStyle style)
      : num_ops_(num_ops), magnitude_(magnitude), num_magnitude_bins_(num_magnitude_bins),
        style_(std::move(style)) {}

  std::string name() const override { return "RandAugment"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int num_ops_, magnitude_, num_magnitude_bins_;
  const AugmentStyle style_;
};

}  // namespace headrace::transforms
