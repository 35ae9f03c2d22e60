// ConcatOp: all rows of child 0, then of child 1, ... (Dataset.concat and `+`).
#pragma once

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class ConcatOp : public DatasetOp {
 public:
  ConcatOp() : DatasetOp("Concat", 1) {}

 protected:
  Status RunWorker(int worker_id) override;
};

}  // namespace headrace::engine
