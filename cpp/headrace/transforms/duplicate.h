// Duplicate: one column in, the same tensor twice out (mindspore.dataset.transforms.Duplicate).
//
// Tensors are immutable once shared, so the two outputs share one buffer; nothing is
// copied. Use it in a map with two output_columns. Thread-safe (stateless).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class Duplicate : public TensorOp {
 public:
  std::string name() const override { return "Duplicate"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

}  // namespace headrace::transforms
