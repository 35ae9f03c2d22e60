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

}  // namespace headrace::engine
