// BatchOp: stacks batch_size consecutive rows into one row whose columns have a new first
// dimension. The last, smaller batch of a pass is kept unless drop_remainder. Without
// padding every row of a batch must have the same shape per column (the error names the
// column and both shapes); with padding (padded_batch) the columns whose PadSpec is
// enabled are padded to one shape (see padding.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/padding.h"

namespace headrace::engine {

class BatchOp : public DatasetOp {
 public:
  // `pads`: one per column, or empty for no padding.
  BatchOp(int64_t batch_size, bool drop_remainder, std::vector<std::string> column_names,
          std::vector<PadSpec> pads = {});

  // Stacks `rows` (all data rows, at least one) column by column, padding the columns
  // whose entry of `pads` is enabled. Shared with the bucketing op.
  static Result<TensorRow> Stack(const std::vector<TensorRow>& rows,
                                 const std::vector<std::string>& column_names,
                                 const std::vector<PadSpec>& pads);

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  const int64_t batch_size_;
  const bool drop_remainder_;
  const std::vector<std::string> column_names_;
  const std::vector<PadSpec> pads_;
};

}  // namespace headrace::engine
