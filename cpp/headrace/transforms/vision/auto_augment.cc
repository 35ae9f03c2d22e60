#include "headrace/transforms/vision/auto_augment.h"

#include <array>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/auto_augment_policies.h"

namespace headrace::transforms {

namespace {

using Op = AugmentOp;

using auto_augment::kPolicyBins;
using auto_augment::PolicyStep;
using auto_augment::SubPolicy;

// RandAugment's choices (torchvision's list; no Invert).
constexpr std::array<AugmentOp, 14> kRandAugmentOps = {
    Op::kIdentity, Op::kShearX, Op::kShearY, Op::kTranslateX, Op::kTranslateY,
    Op::kRotate, Op::kBrightness, Op::kColor, Op::kContrast, Op::kSharpness,
    Op::kPosterize, Op::kSolarize, Op::kAutoContrast, Op::kEqualize};

Result<std::pair<TensorPtr, ImageLayout>> RgbImage(std::string_view transform,
                                                   const TensorList& columns) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, *image, {DataType::kUInt8}, {3}));
  if (!layout.has_channel_axis) {
    return Status::InvalidArgument(std::string(transform) + ": expected an (H, W, 3) RGB image, got shape " +
                                   ShapeToString(image->shape()));
  }
  return std::make_pair(std::move(image), layout);
}

// The op's magnitude at `bin`, negated half of the time where a sign applies. The sign is
// drawn for every step, used or not, so that later draws do not depend on the operation.
double SignedMagnitude(Random& random, AugmentOp op, int bin, int num_bins, const ImageLayout& layout) {
  const bool negative = random.Bernoulli(0.5);
  double magnitude = bin < 0 ? 0.0 : AugmentMagnitude(op, bin, num_bins, layout.height, layout.width);
  if (negative && AugmentMagnitudeIsSigned(op)) magnitude = -magnitude;
  return magnitude;
}

Status WithContext(std::string_view transform, AugmentOp op, Status status) {
  return Status(status.code(), std::string(transform) + " (" + std::string(AugmentOpName(op)) + "): " +
                                   status.message());
}

}  // namespace

Result<std::shared_ptr<AutoAugment>> AutoAugment::Make(const std::string& policy, AugmentStyle style) {
  const auto_augment::Policy* table = policy == "imagenet" ? &auto_augment::kImageNet
                                      : policy == "cifar10" ? &auto_augment::kCifar10
                                      : policy == "svhn"    ? &auto_augment::kSvhn
                                                            : nullptr;
  if (table == nullptr) {
    return Status::InvalidArgument("AutoAugment: policy must be 'imagenet', 'cifar10' or 'svhn', got '" + policy +
                                   "'");
  }
  return std::make_shared<AutoAugment>(table, std::move(style));
}

Status AutoAugment::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(auto image_and_layout, RgbImage(name(), *columns));
  auto [image, layout] = std::move(image_and_layout);
  Random random(seed);
  const SubPolicy& policy = (*policy_)[random.UniformInt(0, policy_->size() - 1)];
  for (const PolicyStep& step : policy) {
    const bool apply = random.Uniform() < step.probability;
    double magnitude = SignedMagnitude(random, step.op, step.bin, kPolicyBins, layout);
    if (step.op == AugmentOp::kSolarize && !IsPillowInterpolation(style_.interpolation)) {
      // MindSpore's AutoAugment (alone: not its RandAugment) starts the thresholds at 256.
      const float step_size = (0.0f - 256.0f) / static_cast<float>(kPolicyBins - 1);
      magnitude = 256.0f + step_size * static_cast<float>(step.bin);
    }
    if (!apply) continue;
    Result<TensorPtr> out = ApplyAugmentOp(image, layout, step.op, magnitude, style_);
    if (!out.ok()) return WithContext(name(), step.op, out.status());
    image = std::move(out).value();
  }
  columns->front() = std::move(image);
  return Status::OK();
}

Result<std::shared_ptr<RandAugment>> RandAugment::Make(int num_ops, int magnitude, int num_magnitude_bins,
                                                       AugmentStyle style) {
  if (num_ops < 0) {
    return Status::InvalidArgument("RandAugment: num_ops must be >= 0, got " + std::to_string(num_ops));
  }
  if (num_magnitude_bins < 2) {
    return Status::InvalidArgument("RandAugment: num_magnitude_bins must be >= 2, got " +
                                   std::to_string(num_magnitude_bins));
  }
  if (magnitude < 0 || magnitude >= num_magnitude_bins) {
    return Status::InvalidArgument("RandAugment: magnitude must be in [0, num_magnitude_bins) = [0, " +
                                   std::to_string(num_magnitude_bins) + "), got " + std::to_string(magnitude));
  }
  return std::make_shared<RandAugment>(num_ops, magnitude, num_magnitude_bins, std::move(style));
}

Status RandAugment::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(auto image_and_layout, RgbImage(name(), *columns));
  auto [image, layout] = std::move(image_and_layout);
  Random random(seed);
  for (int i = 0; i < num_ops_; ++i) {
    const AugmentOp op = kRandAugmentOps[random.UniformInt(0, kRandAugmentOps.size() - 1)];
    const double magnitude = SignedMagnitude(random, op, magnitude_, num_magnitude_bins_, layout);
    Result<TensorPtr> out = ApplyAugmentOp(image, layout, op, magnitude, style_);
    if (!out.ok()) return WithContext(name(), op, out.status());
    image = std::move(out).value();
  }
  columns->front() = std::move(image);
  return Status::OK();
}

}  // namespace headrace::transforms
