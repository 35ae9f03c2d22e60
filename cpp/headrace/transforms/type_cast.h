// TypeCast: converts one numeric column to another fixed-width dtype
// (mindspore.dataset.transforms.TypeCast), with core's CastTensor (see there for how values
// convert). Runs without the GIL.
#pragma once

#include <string>

#include "headrace/core/data_type.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class TypeCast : public transforms::TensorOp {
 public:
  // InvalidArgument (from Make) for string or bytes.
  static Result<std::shared_ptr<TypeCast>> Make(DataType to);

  std::string name() const override { return "TypeCast"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  explicit TypeCast(DataType to) : to_(to) {}

 private:
  const DataType to_;
};

}  // namespace headrace::transforms
