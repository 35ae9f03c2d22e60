#include "headrace/engine/ops/callback_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status CallbackOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  // Rows are handed on one at a time, so that step hooks see each row when it leaves.
  RowWriter writer(output(), worker_id, /*block_rows=*/1);
  if (epoch_ == 0) RETURN_IF_ERROR(callback_->Begin());
  ++epoch_;
  int64_t step_in_epoch = 0;
  RETURN_IF_ERROR(callback_->EpochBegin(epoch_, step_in_epoch, step_));
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row));
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
    RETURN_IF_ERROR(callback_->StepBegin(epoch_, step_in_epoch, step_));
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    RETURN_IF_ERROR(callback_->StepEnd(epoch_, step_in_epoch, step_));
  }
}

}  // namespace headrace::engine
