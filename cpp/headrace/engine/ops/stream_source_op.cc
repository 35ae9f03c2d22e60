#include "headrace/engine/ops/stream_source_op.h"

#include <algorithm>

#include "headrace/engine/row_writer.h"

namespace headrace::engine {

StreamSourceOp::StreamSourceOp(std::string name, std::shared_ptr<StreamSource> source,
                               int64_t num_samples)
    : DatasetOp(std::move(name), 1), source_(std::move(source)), num_samples_(num_samples) {}

Status StreamSourceOp::RunWorker(int worker_id) {
  RETURN_IF_ERROR(source_->Reset());
  int64_t next_id = 0;
  bool end = false;
  while (!end && (num_samples_ <= 0 || next_id < num_samples_)) {
    if (cancelled()) return Status::Cancelled(name() + " cancelled");
    int64_t max_rows = output_block_rows();
    if (num_samples_ > 0) max_rows = std::min(max_rows, num_samples_ - next_id);
    RowBlock block;
    RETURN_IF_ERROR(source_->NextBlock(max_rows, RowWriter::kDefaultMaxDelay, &block, &end));
    for (TensorRow& row : block) row.set_id(next_id++);
    if (!block.empty()) RETURN_IF_ERROR(output()->Push(worker_id, std::move(block)));
  }
  return output()->Push(worker_id, RowBlock{TensorRow::EndOfData()});
}

std::string StreamSourceOp::Describe() const {
  return name() + "(stream" +
         (num_samples_ > 0 ? ", num_samples=" + std::to_string(num_samples_) : std::string()) + ")";
}

}  // namespace headrace::engine
