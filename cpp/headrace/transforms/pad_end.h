// PadEnd: a tensor padded at the end of each dimension, or cut, to a given shape
// (mindspore.dataset.transforms.PadEnd).
//
// A dimension given as -1 (None in Python) keeps its size. The pad value is converted to
// the input's dtype; without one, numbers pad with 0 and text with "". A 0-d input passes
// unchanged, as in MindSpore. Thread-safe (no state besides the parameters).
#pragma once

#include <string>
#include <vector>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class PadEnd : public TensorOp {
 public:
  // `shape`: positive sizes or -1; `value`: one element, or null for the default.
  static Result<std::shared_ptr<PadEnd>> Make(std::vector<int64_t> shape, TensorPtr value);

  std::string name() const override { return "PadEnd"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  PadEnd(std::vector<int64_t> shape, TensorPtr value) : shape_(std::move(shape)), value_(std::move(value)) {}

 private:
  const std::vector<int64_t> shape_;
  const TensorPtr value_;
};

// `input` padded with `value` (converted to its dtype; null: 0 or "") or cut to `shape`,
// whose -1 entries keep the input's size. The kernel of PadEnd; batch padding uses it too.
Result<TensorPtr> PadOrCut(const TensorPtr& input, const std::vector<int64_t>& shape, const TensorPtr& value);

}  // namespace headrace::transforms
