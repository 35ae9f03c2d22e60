// GroupRowsOp: the first stage of batching. It cuts the stream into groups of batch_size
// rows (the last, smaller group of a pass is kept unless drop_remainder) and pushes each
// group as one block, its rows' ids set to the group's index in the pass. BatchOp, the
// next stage, turns each block into one batch on several workers, in order.
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class GroupRowsOp : public DatasetOp {
 public:
  GroupRowsOp(int64_t batch_size, bool drop_remainder)
      : DatasetOp("GroupRows", 1), batch_size_(batch_size), drop_remainder_(drop_remainder) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  const int64_t batch_size_;
  const bool drop_remainder_;
};

}  // namespace headrace::engine
