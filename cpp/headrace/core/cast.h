// CastTensor: one numeric tensor converted to another fixed-width dtype, element by element.
// Integers and floats convert as NumPy's astype does, except that a float too large for an
// integer type saturates and NaN becomes 0 (NumPy leaves those undefined); to bool: non-zero
// is true.
//
// The kernel of the TypeCast transform, here in core because the engine needs it too (the
// padding of batches and bucket lengths), and the engine may not include transforms'
// kernels' owners above it. Pure function, safe from any thread.
#pragma once

#include "headrace/core/data_type.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace {

// `input` itself when it already has dtype `to`; InvalidArgument for a string or bytes
// input (naming it). `to` must be fixed-width.
Result<TensorPtr> CastTensor(const TensorPtr& input, DataType to);

}  // namespace headrace
