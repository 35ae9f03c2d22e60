#include "headrace/engine/ops/repeat_op.h"

#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status RepeatOp::RunWorker(int worker_id) {
  RowWriter writer(output(), worker_id, output_block_rows());
  const int64_t pass = pass_index();
  for (int64_t repetition = FirstRepetition(pass); count_ < 0 || repetition < count_; ++repetition) {
    ASSIGN_OR_RETURN(int64_t rows, ForwardChildPass(ChildPass(pass, repetition), &writer));
    // An empty child repeated forever would spin without end.
    if (rows == 0) break;
  }
  return writer.Write(TensorRow::EndOfData());
}

void RepeatOp::OnSetStart(int64_t pass, int64_t /*row*/) {
  // The child was started (before this op was made) at its pass of the repetition to resume.
  const int64_t child_start = children().front()->start_pass();
  first_repetition_ = child_start - ChildPass(pass, 0);
}

std::string RepeatOp::Describe() const { return "Repeat(count=" + std::to_string(count_) + ")"; }

}  // namespace headrace::engine
