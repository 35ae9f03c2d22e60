// EpochCtrlOp: the root of every launched tree. It runs its child once per epoch and
// writes end of epoch between epochs and end of data after the last (num_epochs < 0:
// epochs never end; the iterator stops the tree when it is dropped). Epoch e is its child's
// pass e; a resumed pipeline begins at epoch start_epoch, its child set to start there.
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class EpochCtrlOp : public DatasetOp {
 public:
  EpochCtrlOp(int64_t num_epochs, int64_t start_epoch)
      : DatasetOp("EpochCtrl", 1), num_epochs_(num_epochs), start_epoch_(start_epoch) {}

 protected:
  Status RunWorker(int worker_id) override;
  int64_t FirstChildPass(int64_t /*pass*/) const override { return start_epoch_; }
  std::string Describe() const override;

 private:
  const int64_t num_epochs_;
  const int64_t start_epoch_;
};

}  // namespace headrace::engine
