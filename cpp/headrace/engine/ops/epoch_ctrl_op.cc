#include "headrace/engine/ops/epoch_ctrl_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status EpochCtrlOp::RunWorker(int worker_id) {
  DatasetOp* child = children().front().get();
  RowWriter writer(output(), worker_id, context()->block_rows);
  for (int64_t epoch = 0; num_epochs_ < 0 || epoch < num_epochs_; ++epoch) {
    if (epoch > 0) {
      child->Join();
      RETURN_IF_ERROR(child->Launch(context(), 1));
    }
    RowReader reader(child->output(), 0);
    for (;;) {
      TensorRow row;
      RETURN_IF_ERROR(reader.Next(&row));
      if (row.is_end_of_data()) break;
      if (row.is_end_of_epoch()) continue;  // passes below never mark epochs themselves
      RETURN_IF_ERROR(writer.Write(std::move(row)));
    }
    if (num_epochs_ < 0 || epoch + 1 < num_epochs_) {
      RETURN_IF_ERROR(writer.Write(TensorRow::EndOfEpoch()));
    }
  }
  return writer.Write(TensorRow::EndOfData());
}

std::string EpochCtrlOp::Describe() const {
  return "EpochCtrl(num_epochs=" + std::to_string(num_epochs_) + ")";
}

}  // namespace headrace::engine
