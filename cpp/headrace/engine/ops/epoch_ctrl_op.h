// EpochCtrlOp: the root of every launched tree. It runs its child once per epoch and
// writes end of epoch between epochs and end of data after the last (num_epochs < 0:
// epochs never end; the iterator stops the tree when it is dropped).
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class EpochCtrlOp : public DatasetOp {
 public:
  explicit EpochCtrlOp(int64_t num_epochs) : DatasetOp("EpochCtrl", 1), num_epochs_(num_epochs) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  const int64_t num_epochs_;
};

}  // namespace headrace::engine
