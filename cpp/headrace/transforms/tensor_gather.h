// GatherElements: a new tensor whose elements are picked from other tensors of the same
// dtype, the one layout kernel under Slice, PadEnd, Concatenate and Fill.
//
// Those transforms only move elements, so they work for every dtype alike: fixed-width
// elements are copied byte for byte, string and bytes elements as views. Pure function,
// safe from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace::transforms {

// Element `index` (row-major) of `sources[source]`.
struct ElementPick {
  int source;
  int64_t index;
};

// A tensor of `shape` whose element i is `picks[i]`. Every source must have dtype `dtype`
// and picks.size() must equal the shape's element count (InvalidArgument otherwise); the
// indices must be in range (the callers compute them).
Result<TensorPtr> GatherElements(const std::vector<const Tensor*>& sources,
                                 const std::vector<ElementPick>& picks, DataType dtype,
                                 const Shape& shape);

// Row-major strides, in elements, of `shape`.
std::vector<int64_t> ElementStrides(const Shape& shape);

// True when `a` and `b` hold the same kind of data: both numbers (or bool), or both text
// (string or bytes). Mask, Fill and PadEnd refuse to mix the two kinds.
bool SameKind(DataType a, DataType b);

}  // namespace headrace::transforms
