#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status RowWriter::Write(TensorRow row) {
  const bool control = !row.is_data();
  if (pending_.empty()) first_pending_ = std::chrono::steady_clock::now();
  pending_.push_back(std::move(row));
  if (control || static_cast<int64_t>(pending_.size()) >= block_rows_ ||
      std::chrono::steady_clock::now() - first_pending_ >= max_delay_) {
    return Flush();
  }
  return Status::OK();
}

Status RowWriter::Flush() {
  if (pending_.empty()) return Status::OK();
  RowBlock block;
  block.reserve(static_cast<size_t>(block_rows_));
  block.swap(pending_);
  return output_->Push(producer_id_, std::move(block));
}

}  // namespace headrace::engine
