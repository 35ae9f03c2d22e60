#include "headrace/engine/ops/repeat_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status RepeatOp::RunWorker(int worker_id) {
  DatasetOp* child = children().front().get();
  RowWriter writer(output(), worker_id, context()->block_rows);
  for (int64_t pass = 0; count_ < 0 || pass < count_; ++pass) {
    if (pass > 0) {
      child->Join();
      RETURN_IF_ERROR(child->Launch(context(), 1));
    }
    RowReader reader(child->output(), 0);
    int64_t rows = 0;
    for (;;) {
      TensorRow row;
      RETURN_IF_ERROR(reader.Next(&row));
      if (row.is_end_of_data()) break;
      if (row.is_end_of_epoch()) continue;
      ++rows;
      RETURN_IF_ERROR(writer.Write(std::move(row)));
    }
    // An empty child repeated forever would spin without end.
    if (rows == 0) break;
  }
  return writer.Write(TensorRow::EndOfData());
}

std::string RepeatOp::Describe() const { return "Repeat(count=" + std::to_string(count_) + ")"; }

}  // namespace headrace::engine
