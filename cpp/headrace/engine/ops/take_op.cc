#include "headrace/engine/ops/take_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status TakeOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  RowWriter writer(output(), worker_id, output_block_rows());
  int64_t taken = start_row();  // a resumed pass took these before
  while (taken < count_) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, &writer));
    if (row.is_end_of_data()) return writer.Write(std::move(row));
    if (row.is_data()) ++taken;
    RETURN_IF_ERROR(writer.Write(std::move(row)));
  }
  RETURN_IF_ERROR(writer.Flush());
  // Enough rows: stop the child rather than read what is left.
  StopChildEarly(0);
  return writer.Write(TensorRow::EndOfData());
}

}  // namespace headrace::engine
