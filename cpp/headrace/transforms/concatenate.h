// Concatenate: the row's 1-D columns joined into one, with an optional array before and
// after (mindspore.dataset.transforms.Concatenate).
//
// As in MindSpore, every input column of the map is joined (prepend, column 1, column 2,
// ..., append) into one output column; all must be 1-D and of one dtype, numbers or text.
// Only axis 0 (or -1, the same for 1-D) exists. Thread-safe (no state besides the arrays).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class Concatenate : public TensorOp {
 public:
  // `prepend` and `append` are 1-D tensors or null. InvalidArgument for another axis or rank.
  static Result<std::shared_ptr<Concatenate>> Make(int64_t axis, TensorPtr prepend, TensorPtr append);

  std::string name() const override { return "Concatenate"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  Concatenate(TensorPtr prepend, TensorPtr append)
      : prepend_(std::move(prepend)), append_(std::move(append)) {}

 private:
  const TensorPtr prepend_;
  const TensorPtr append_;
};

}  // namespace headrace::transforms
