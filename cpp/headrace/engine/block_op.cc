#include "headrace/engine/block_op.h"

namespace headrace::engine {

Status BlockOp::RunWorker(int worker_id) {
  // Both connectors stay the same for the whole pass; looking them up takes a lock.
  Connector* const in = input();
  Connector* const out = output();
  const int64_t pass = pass_index();
  const int64_t start = start_row();
  for (;;) {
    RowBlock block;
    int64_t first_row = 0;
    RETURN_IF_ERROR(in->Pop(worker_id, &block, &first_row));
    if (!block.empty() && block.back().is_error()) return block.back().error();
    const bool end = EndsWithEndOfData(block);
    RETURN_IF_ERROR(ProcessBlock(&block, BlockPlace{pass, start + first_row}));
    RETURN_IF_ERROR(out->Push(worker_id, std::move(block)));
    if (end) return Status::OK();
  }
}

}  // namespace headrace::engine
