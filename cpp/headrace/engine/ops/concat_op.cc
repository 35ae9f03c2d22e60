#include "headrace/engine/ops/concat_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status ConcatOp::RunWorker(int worker_id) {
  RowWriter writer(output(), worker_id, output_block_rows());
  // A resumed pass's children start where the rows consumed end: those before are empty.
  int64_t id = start_row();
  for (size_t i = 0; i < children().size(); ++i) {
    RowReader reader(input(i), 0);
    for (;;) {
      TensorRow row;
      RETURN_IF_ERROR(reader.Next(&row, &writer));
      if (row.is_end_of_data()) break;
      if (!row.is_data()) continue;
      row.set_id(id++);
      RETURN_IF_ERROR(writer.Write(std::move(row)));
    }
  }
  return writer.Write(TensorRow::EndOfData());
}

}  // namespace headrace::engine
