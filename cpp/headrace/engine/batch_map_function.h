// BatchMapFunction: per_batch_map of Dataset.batch, a function over whole batches before
// they are stacked. It gets, per input column, the tensors of every row of the batch, and
// returns, per output column, one tensor per row (possibly a different number of rows).
// Called concurrently by the batch op's workers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::engine {

class BatchMapFunction {
 public:
  virtual ~BatchMapFunction() = default;

  virtual std::string name() const = 0;

  // `columns[c][r]`: input column c of row r; replaced by the output columns.
  // `batch_num`: the batch's index in its pass; `epoch_num`: the pass's index.
  virtual Status Apply(std::vector<TensorList>* columns, int64_t batch_num, int64_t epoch_num) = 0;

  // As TensorOp's: the batch op is being cancelled, so an Apply waiting for a worker
  // process must return Cancelled soon (any thread, must not block); then forget it.
  virtual void Cancel() {}
  virtual void ClearCancel() {}
};

}  // namespace headrace::engine
