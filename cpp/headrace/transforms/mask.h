// Mask: each element compared with a constant, a tensor of the results
// (mindspore.dataset.transforms.Mask with its Relational operators).
//
// The constant is first converted to the input's dtype, as MindSpore does (2.5 against
// int64 data compares with 2); numbers compare as numbers, strings and bytes byte by byte.
// Comparing numbers with text is an error. The result, bool, is then cast to the
// requested dtype. Thread-safe (no state besides the parameters).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

// MindSpore's numbering (Relational.EQ == 0 ... Relational.LE == 5).
enum class Relational { kEqual, kNotEqual, kGreater, kGreaterEqual, kLess, kLessEqual };

class Mask : public TensorOp {
 public:
  // `constant` is a tensor of one element; `output` a fixed-width dtype.
  static Result<std::shared_ptr<Mask>> Make(Relational relation, TensorPtr constant, DataType output);

  std::string name() const override { return "Mask"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  Mask(Relational relation, TensorPtr constant, DataType output)
      : relation_(relation), constant_(std::move(constant)), output_(output) {}

 private:
  const Relational relation_;
  const TensorPtr constant_;
  const DataType output_;
};

}  // namespace headrace::transforms
