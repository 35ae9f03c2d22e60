// Fill: every element of the input replaced by one value, shape and dtype kept
// (mindspore.dataset.transforms.Fill).
//
// A number is converted to the input's dtype (core/cast.h); a string or bytes value fills
// only a tensor of the same dtype, as in MindSpore. Thread-safe (no state besides the value).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class Fill : public TensorOp {
 public:
  // `value` is a tensor of one element.
  static Result<std::shared_ptr<Fill>> Make(TensorPtr value);

  std::string name() const override { return "Fill"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  explicit Fill(TensorPtr value) : value_(std::move(value)) {}

 private:
  const TensorPtr value_;
};

}  // namespace headrace::transforms
