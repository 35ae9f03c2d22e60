#include "headrace/engine/ops/epoch_ctrl_op.h"

#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status EpochCtrlOp::RunWorker(int worker_id) {
  RowWriter writer(output(), worker_id, output_block_rows());
  for (int64_t epoch = start_epoch_; num_epochs_ < 0 || epoch < num_epochs_; ++epoch) {
    RETURN_IF_ERROR(ForwardChildPass(epoch, &writer).status());
    if (num_epochs_ < 0 || epoch + 1 < num_epochs_) {
      RETURN_IF_ERROR(writer.Write(TensorRow::EndOfEpoch()));
    }
  }
  return writer.Write(TensorRow::EndOfData());
}

std::string EpochCtrlOp::Describe() const {
  return "EpochCtrl(num_epochs=" + std::to_string(num_epochs_) +
         (start_epoch_ > 0 ? ", start_epoch=" + std::to_string(start_epoch_) : "") + ")";
}

}  // namespace headrace::engine
