// ZipOp: row i of every child side by side, columns in child order (Dataset.zip / ds.zip).
// A pass ends with the shortest child; the others are stopped early.
#pragma once

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class ZipOp : public DatasetOp {
 public:
  ZipOp() : DatasetOp("Zip", 1) {}

 protected:
  Status RunWorker(int worker_id) override;
};

}  // namespace headrace::engine
