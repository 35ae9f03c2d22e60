// BatchOp: stacks batch_size consecutive rows into one row whose columns have a new first
// dimension. The last, smaller batch of a pass is kept unless drop_remainder. Every row
// of a batch must have the same shape per column; otherwise the error names the column
// and both shapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class BatchOp : public DatasetOp {
 public:
  BatchOp(int64_t batch_size, bool drop_remainder, std::vector<std::string> column_names);

  // Stacks `rows` (all data rows, at least one) column by column. Exposed for tests and
  // for the ops that batch with padding.
  static Result<TensorRow> Stack(const std::vector<TensorRow>& rows,
                                 const std::vector<std::string>& column_names);

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  const int64_t batch_size_;
  const bool drop_remainder_;
  const std::vector<std::string> column_names_;
};

}  // namespace headrace::engine
