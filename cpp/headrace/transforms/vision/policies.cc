#include "headrace/transforms/vision/policies.h"

#include <array>
#include <cmath>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/draws.h"
#include "headrace/transforms/vision/augment_ops.h"

namespace headrace::transforms {

namespace {

// Applies `op` to `columns` with the seed of application `step` of the row; an error
// names the policy transform around the inner one's message.
Status ApplyStep(std::string_view policy, const TensorOpPtr& op, TensorList* columns, uint64_t seed,
                 uint64_t step) {
  Status status = op->Compute(columns, MixSeed(seed, step));
  if (status.ok()) return status;
  return Status(status.code(), std::string(policy) + " (" + op->name() + "): " + status.message());
}

using Op = AugmentOp;

// MindSpore's wide space, in its (alphabetical) order; the order changes only which seed
// picks which operation.
constexpr std::array<AugmentOp, 14> kWideOps = {
    Op::kAutoContrast, Op::kBrightness, Op::kColor,     Op::kContrast,   Op::kEqualize,
    Op::kIdentity,     Op::kPosterize,  Op::kRotate,    Op::kSharpness,  Op::kShearX,
    Op::kShearY,       Op::kSolarize,   Op::kTranslateX, Op::kTranslateY};

// MindSpore's Linspace: start + i * step in float, step = (end - start) / (n - 1).
float Linspace(float start, float end, int bin, int num_bins) {
  const float step = (end - start) / static_cast<float>(num_bins - 1);
  return start + static_cast<float>(bin) * step;
}

}  // namespace

Result<std::shared_ptr<RandomSelectSubpolicy>> RandomSelectSubpolicy::Make(std::vector<SubPolicy> policy) {
  if (policy.empty()) return Status::InvalidArgument("RandomSelectSubpolicy: policy can not be empty");
  for (size_t i = 0; i < policy.size(); ++i) {
    if (policy[i].empty()) {
      return Status::InvalidArgument("RandomSelectSubpolicy: policy[" + std::to_string(i) + "] can not be empty");
    }
    for (size_t j = 0; j < policy[i].size(); ++j) {
      const std::string where = "policy[" + std::to_string(i) + "][" + std::to_string(j) + "]";
      if (policy[i][j].op == nullptr) {
        return Status::InvalidArgument("RandomSelectSubpolicy: the op of " + where + " is missing");
      }
      const double prob = policy[i][j].prob;
      if (!(prob >= 0.0 && prob <= 1.0)) {
        return Status::InvalidArgument("RandomSelectSubpolicy: the prob of " + where + " must be in [0, 1], got " +
                                       std::to_string(prob));
      }
    }
  }
  return std::make_shared<RandomSelectSubpolicy>(std::move(policy));
}

Status RandomSelectSubpolicy::Compute(TensorList* columns, uint64_t seed) {
  Random random(seed);
  const SubPolicy& sub = policy_[static_cast<size_t>(random.UniformInt(0, policy_.size() - 1))];
  uint64_t step = 0;
  for (const PolicyStep& s : sub) {
    ++step;
    if (random.Uniform() < s.prob) RETURN_IF_ERROR(ApplyStep(name(), s.op, columns, seed, step));
  }
  return Status::OK();
}

void RandomSelectSubpolicy::Cancel() {
  for (const SubPolicy& sub : policy_) {
    for (const PolicyStep& s : sub) s.op->Cancel();
  }
}

void RandomSelectSubpolicy::ClearCancel() {
  for (const SubPolicy& sub : policy_) {
    for (const PolicyStep& s : sub) s.op->ClearCancel();
  }
}

Result<std::shared_ptr<UniformAugment>> UniformAugment::Make(std::vector<TensorOpPtr> transforms, int64_t num_ops) {
  if (transforms.empty()) return Status::InvalidArgument("UniformAugment: transforms can not be empty");
  for (size_t i = 0; i < transforms.size(); ++i) {
    if (transforms[i] == nullptr) {
      return Status::InvalidArgument("UniformAugment: transforms[" + std::to_string(i) + "] is missing");
    }
  }
  if (num_ops < 1 || num_ops > static_cast<int64_t>(transforms.size())) {
    return Status::InvalidArgument("UniformAugment: num_ops must be in [1, " + std::to_string(transforms.size()) +
                                   "] (the number of transforms), got " + std::to_string(num_ops));
  }
  return std::make_shared<UniformAugment>(std::move(transforms), num_ops);
}

Status UniformAugment::Compute(TensorList* columns, uint64_t seed) {
  Random random(seed);
  const std::vector<int64_t> chosen = OrderedSample(random, static_cast<int64_t>(transforms_.size()), num_ops_);
  uint64_t step = 0;
  for (int64_t index : chosen) {
    ++step;
    if (random.UniformInt(0, 1) != 0) continue;  // each chosen transform runs half of the time
    RETURN_IF_ERROR(ApplyStep(name(), transforms_[static_cast<size_t>(index)], columns, seed, step));
  }
  return Status::OK();
}

void UniformAugment::Cancel() {
  for (const TensorOpPtr& op : transforms_) op->Cancel();
}

void UniformAugment::ClearCancel() {
  for (const TensorOpPtr& op : transforms_) op->ClearCancel();
}

Result<std::shared_ptr<TrivialAugmentWide>> TrivialAugmentWide::Make(int num_magnitude_bins, AugmentStyle style) {
  if (num_magnitude_bins < 2) {
    return Status::InvalidArgument("TrivialAugmentWide: num_magnitude_bins must be >= 2, got " +
                                   std::to_string(num_magnitude_bins));
  }
  return std::make_shared<TrivialAugmentWide>(num_magnitude_bins, std::move(style));
}

double TrivialAugmentWide::WideMagnitude(AugmentOp op, int bin, int num_bins) {
  switch (op) {
    case AugmentOp::kShearX:
    case AugmentOp::kShearY:
    case AugmentOp::kBrightness:
    case AugmentOp::kColor:
    case AugmentOp::kContrast:
    case AugmentOp::kSharpness: return Linspace(0.0f, 0.99f, bin, num_bins);
    case AugmentOp::kTranslateX:
    case AugmentOp::kTranslateY: return Linspace(0.0f, 32.0f, bin, num_bins);
    case AugmentOp::kRotate: return Linspace(0.0f, 135.0f, bin, num_bins);
    case AugmentOp::kPosterize: {
      // 8 - 6 * bin / (num_bins - 1), rounded half to even: 8 bits down to 2.
      const float scale = -6.0f / static_cast<float>(num_bins - 1);
      return std::nearbyint(Linspace(0.0f, static_cast<float>(num_bins - 1), bin, num_bins) * scale + 8.0f);
    }
    case AugmentOp::kSolarize: return Linspace(255.0f, 0.0f, bin, num_bins);
    default: return 0.0;
  }
}

TrivialAugmentWide::Choice TrivialAugmentWide::Choose(uint64_t seed) const {
  Random random(seed);
  const AugmentOp op = kWideOps[static_cast<size_t>(random.UniformInt(0, kWideOps.size() - 1))];
  const int bin = static_cast<int>(random.UniformInt(0, num_magnitude_bins_ - 1));
  const bool negative = random.Bernoulli(0.5);
  double magnitude = WideMagnitude(op, bin, num_magnitude_bins_);
  if (negative && AugmentMagnitudeIsSigned(op)) magnitude = -magnitude;
  return Choice{op, magnitude};
}

Result<TensorPtr> TrivialAugmentWide::Apply(const TensorPtr& image, AugmentOp op, double magnitude) const {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name(), *image, {DataType::kUInt8}, {3}));
  if (!layout.has_channel_axis) {
    return Status::InvalidArgument("TrivialAugmentWide: expected an (H, W, 3) RGB image, got shape " +
                                   ShapeToString(image->shape()));
  }
  Result<TensorPtr> out = ApplyAugmentOp(image, layout, op, magnitude, style_);
  if (!out.ok()) {
    return Status(out.status().code(),
                  "TrivialAugmentWide (" + std::string(AugmentOpName(op)) + "): " + out.status().message());
  }
  return out;
}

Status TrivialAugmentWide::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  const Choice choice = Choose(seed);
  ASSIGN_OR_RETURN(columns->front(), Apply(image, choice.op, choice.magnitude));
  return Status::OK();
}

}  // namespace headrace::transforms
