// TypeCast: converts one numeric column to another fixed-width dtype
// (mindspore.dataset.transforms.TypeCast). Integers and floats convert as NumPy's astype
// does, except that a float too large for an integer type saturates and NaN becomes 0
// (NumPy leaves those undefined); to bool: non-zero is true. Runs without the GIL.
#pragma once

#include <string>

#include "headrace/core/data_type.h"
#include "headrace/engine/tensor_op.h"

namespace headrace::transforms {

class TypeCast : public engine::TensorOp {
 public:
  // InvalidArgument (from Make) for string or bytes.
  static Result<std::shared_ptr<TypeCast>> Make(DataType to);

  std::string name() const override { return "TypeCast"; }
  Status Compute(engine::TensorList* columns, uint64_t seed) override;

  // The cast of one tensor (exposed for tests and other transforms).
  static Result<TensorPtr> Cast(const TensorPtr& input, DataType to);

  explicit TypeCast(DataType to) : to_(to) {}

 private:
  const DataType to_;
};

}  // namespace headrace::transforms
