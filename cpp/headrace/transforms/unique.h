// Unique: the distinct elements of a numeric tensor, in the order they first occur, with
// each element's position among them and each one's count
// (mindspore.dataset.transforms.Unique).
//
// Three output columns, as MindSpore: the values (input dtype, 1-D), the index of every
// input element in them (int32, one per element) and the counts (int32). MindSpore 2.10
// takes only inputs of rank 2 or more (batched rows), flattened; so does this. Numbers
// compare by value: 0.0 and -0.0 are one, every NaN is its own. Thread-safe (stateless).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class Unique : public TensorOp {
 public:
  std::string name() const override { return "Unique"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

}  // namespace headrace::transforms
