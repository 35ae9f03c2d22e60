// Padding rows of different shapes to one shape, for padded_batch and
// bucket_by_sequence_length.
//
// A PadSpec says, for one column, the shape to pad every row of a batch to (-1 in a
// dimension: the longest of the batch in that dimension) and the value to pad with
// (`value` for numbers, `text` for string and bytes columns). Rows are placed at the
// start of every dimension, as NumPy's np.pad(..., [(0, n)]) would; a row larger than the
// shape is cut to it, as MindSpore does.
#pragma once

#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/core/tensor_row.h"

namespace headrace::engine {

struct PadSpec {
  // False: the rows must already have one shape (plain batching).
  bool enabled = false;
  // Empty: the longest of the batch in every dimension.
  Shape shape;
  double value = 0;
  std::string text;
};

// Column `column` of `rows` stacked into one tensor with a new first dimension, padded by
// `spec`. Errors name `column_name` and the shapes involved.
Result<TensorPtr> StackPadded(const std::vector<TensorRow>& rows, size_t column,
                              const PadSpec& spec, const std::string& column_name);

}  // namespace headrace::engine
