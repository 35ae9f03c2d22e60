#include "headrace/engine/ops/callback_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status CallbackOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  // With step hooks rows are handed on one at a time, so that the hooks see each row
  // when it leaves.
  RowWriter writer(output(), worker_id, step_hooks_ ? 1 : output_block_rows());
  if (epoch_ == 0) RETURN_IF_ERROR(callback_->Begin());
  ++epoch_;
  int64_t step_in_epoch = 0;
  RETURN_IF_ERROR(callback_->EpochBegin(epoch_, step_in_epoch, step_));
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, &writer));
    if (!row.is_data()) {
      if (row.is_end_of_data()) {
        RETURN_IF_ERROR(callback_->EpochEnd(epoch_, step_in_epoch, step_));
        return writer.Write(std::move(row));
      }
      RETURN_IF_ERROR(writer.Write(std::move(row)));
      continue;
    }
    ++step_in_epoch;
    ++step_;
    if (!step_hooks_) {
      RETURN_IF_ERROR(writer.Write(std::move(row)));
      continue;
    }
    RETURN_IF_ERROR(callback_->StepBegin(epoch_, step_in_epoch, step_));
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    RETURN_IF_ERROR(callback_->StepEnd(epoch_, step_in_epoch, step_));
  }
}

}  // namespace headrace::engine
