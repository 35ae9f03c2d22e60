#include "headrace/transforms/random_compose.h"

#include <numeric>
#include <utility>

#include "headrace/core/random.h"

namespace headrace::transforms {

namespace {

// Seeds of the draw itself and of the inner transforms, all unrelated.
constexpr uint64_t kDrawSeed = 0;
uint64_t InnerSeed(uint64_t seed, size_t position) { return MixSeed(seed, position + 1); }

std::vector<size_t> InOrder(size_t count) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  return order;
}

}  // namespace

void RandomCompose::Cancel() {
  for (const auto& transform : transforms_) transform->Cancel();
}

void RandomCompose::ClearCancel() {
  for (const auto& transform : transforms_) transform->ClearCancel();
}

Status RandomCompose::CheckList(const std::string& op, const TensorOpList& transforms) {
  if (transforms.empty()) return Status::InvalidArgument(op + ": transforms list can not be empty");
  for (const auto& transform : transforms) {
    if (transform == nullptr) return Status::InvalidArgument(op + ": a transform is null");
  }
  return Status::OK();
}

Status RandomCompose::ApplyInOrder(const std::vector<size_t>& order, TensorList* columns,
                                   uint64_t seed) const {
  for (size_t position = 0; position < order.size(); ++position) {
    RETURN_IF_ERROR(transforms_[order[position]]->Compute(columns, InnerSeed(seed, position)));
  }
  return Status::OK();
}

Result<std::shared_ptr<RandomApply>> RandomApply::Make(TensorOpList transforms, double prob) {
  RETURN_IF_ERROR(CheckList("RandomApply", transforms));
  if (!(prob >= 0.0 && prob <= 1.0)) {
    return Status::InvalidArgument("RandomApply: prob must be in [0, 1], got " + std::to_string(prob));
  }
  return std::make_shared<RandomApply>(std::move(transforms), prob);
}

Status RandomApply::Compute(TensorList* columns, uint64_t seed) {
  Random random(MixSeed(seed, kDrawSeed));
  if (!random.Bernoulli(prob_)) return Status::OK();
  return ApplyInOrder(InOrder(transforms_.size()), columns, seed);
}

Result<std::shared_ptr<RandomChoice>> RandomChoice::Make(TensorOpList transforms) {
  RETURN_IF_ERROR(CheckList("RandomChoice", transforms));
  return std::make_shared<RandomChoice>(std::move(transforms));
}

Status RandomChoice::Compute(TensorList* columns, uint64_t seed) {
  Random random(MixSeed(seed, kDrawSeed));
  const auto chosen = static_cast<size_t>(random.UniformInt(0, static_cast<int64_t>(transforms_.size()) - 1));
  return ApplyInOrder({chosen}, columns, seed);
}

Result<std::shared_ptr<RandomOrder>> RandomOrder::Make(TensorOpList transforms) {
  RETURN_IF_ERROR(CheckList("RandomOrder", transforms));
  return std::make_shared<RandomOrder>(std::move(transforms));
}

Status RandomOrder::Compute(TensorList* columns, uint64_t seed) {
  Random random(MixSeed(seed, kDrawSeed));
  std::vector<size_t> order = InOrder(transforms_.size());
  // Fisher-Yates: every order equally likely.
  for (size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[static_cast<size_t>(random.UniformInt(0, static_cast<int64_t>(i) - 1))]);
  }
  return ApplyInOrder(order, columns, seed);
}

}  // namespace headrace::transforms
