#include "headrace/engine/ops/skip_op.h"

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status SkipOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  RowWriter writer(output(), worker_id, output_block_rows());
  // A resumed pass's child starts past the rows skipped (the Python layer starts it there).
  int64_t skipped = in_start_pass() ? count_ : 0;
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, &writer));
    if (row.is_data() && skipped < count_) {
      ++skipped;
      continue;
    }
    const bool end = row.is_end_of_data();
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    if (end) return Status::OK();
  }
}

}  // namespace headrace::engine
