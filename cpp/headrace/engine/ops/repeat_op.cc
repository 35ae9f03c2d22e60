#include "headrace/engine/ops/repeat_op.h"

#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status RepeatOp::RunWorker(int worker_id) {
  RowWriter writer(output(), worker_id, output_block_rows());
  for (int64_t pass = 0; count_ < 0 || pass < count_; ++pass) {
    ASSIGN_OR_RETURN(int64_t rows, ForwardChildPass(pass, &writer));
    // An empty child repeated forever would spin without end.
    if (rows == 0) break;
  }
  return writer.Write(TensorRow::EndOfData());
}

std::string RepeatOp::Describe() const { return "Repeat(count=" + std::to_string(count_) + ")"; }

}  // namespace headrace::engine
