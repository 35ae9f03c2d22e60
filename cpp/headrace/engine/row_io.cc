#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status RowReader::Next(TensorRow* row, RowWriter* writer) {
  if (ended_) {
    *row = TensorRow::EndOfData();
    return Status::OK();
  }
  while (position_ >= block_.size()) {
    block_.clear();
    position_ = 0;
    if (writer != nullptr && writer->has_pending()) {
      bool timed_out = false;
      RETURN_IF_ERROR(input_->PopUntil(consumer_id_, &block_, writer->flush_deadline(), &timed_out));
      if (timed_out) RETURN_IF_ERROR(writer->Flush());
    } else {
      RETURN_IF_ERROR(input_->Pop(consumer_id_, &block_));
    }
  }
  *row = std::move(block_[position_++]);
  if (row->is_error()) return row->error();
  if (row->is_end_of_data()) ended_ = true;
  return Status::OK();
}

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
