// RandomApply, RandomChoice and RandomOrder: a list of transforms applied by a per-row
// random draw (mindspore.dataset.transforms).
//
// The transforms may be native or Python ones (bindings/python_tensor_op.h); each one's
// output is the next one's input, as in Compose. The draw comes from the row's seed and
// every inner transform gets its own seed mixed from it and its place in the list, so the
// same pipeline seed gives the same rows with any number of workers.
// Thread-safe when the inner transforms are (they are shared by the map's workers).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

using TensorOpList = std::vector<std::shared_ptr<TensorOp>>;

// The shared part: the list, its checks and its application in a given order.
class RandomCompose : public TensorOp {
 public:
  explicit RandomCompose(TensorOpList transforms) : transforms_(std::move(transforms)) {}

  void Cancel() override;
  void ClearCancel() override;

 protected:
  // InvalidArgument naming `op` when `transforms` is empty or holds a null.
  static Status CheckList(const std::string& op, const TensorOpList& transforms);
  // Applies transforms_[order[0]], transforms_[order[1]], ... to `columns`.
  Status ApplyInOrder(const std::vector<size_t>& order, TensorList* columns, uint64_t seed) const;

  const TensorOpList transforms_;
};

// All the transforms, in order, with probability `prob`; otherwise the row is unchanged.
class RandomApply : public RandomCompose {
 public:
  static Result<std::shared_ptr<RandomApply>> Make(TensorOpList transforms, double prob);

  std::string name() const override { return "RandomApply"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  RandomApply(TensorOpList transforms, double prob) : RandomCompose(std::move(transforms)), prob_(prob) {}

 private:
  const double prob_;
};

// One of the transforms, each as likely.
class RandomChoice : public RandomCompose {
 public:
  static Result<std::shared_ptr<RandomChoice>> Make(TensorOpList transforms);

  std::string name() const override { return "RandomChoice"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  using RandomCompose::RandomCompose;
};

// All the transforms in an order drawn uniformly among all orders.
class RandomOrder : public RandomCompose {
 public:
  static Result<std::shared_ptr<RandomOrder>> Make(TensorOpList transforms);

  std::string name() const override { return "RandomOrder"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  using RandomCompose::RandomCompose;
};

}  // namespace headrace::transforms
