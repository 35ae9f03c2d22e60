#include "headrace/engine/ops/source_op.h"

#include <algorithm>

namespace headrace::engine {

SourceOp::SourceOp(std::string name, std::shared_ptr<RandomAccessSource> source,
                   std::shared_ptr<Sampler> sampler, int num_workers)
    : DatasetOp(std::move(name), num_workers), source_(std::move(source)),
      sampler_(std::move(sampler)) {}

Status SourceOp::PreparePass(int64_t pass) {
  ASSIGN_OR_RETURN(indices_, sampler_->Indices(source_->size(), pass));
  // A resumed pass reads nothing before its start: its rows are runs of GroupRows() indices
  // when the source builds batches.
  first_id_ = start_row_of(pass);
  const auto skipped = static_cast<size_t>(first_id_ * source_->GroupRows());
  indices_.erase(indices_.begin(), indices_.begin() + static_cast<std::ptrdiff_t>(std::min(skipped, indices_.size())));
  return Status::OK();
}

Status SourceOp::RunWorker(int worker_id) {
  // A source that builds batches reads runs of `group` indices, a block holding whole runs
  // only; a short last run is read or dropped as the source says.
  const int64_t group = source_->GroupRows();
  auto total = static_cast<int64_t>(indices_.size());
  if (source_->DropsShortGroup()) total -= total % group;
  // Rows that are views of a table cost nothing to hold: bigger blocks mean fewer hand-
  // overs between threads (each costs a wake-up or two; the light benchmark gained 15%).
  // Other sources (Python code per row) keep the pipeline's size, so that the first
  // rows come soon. Large rows (images) make blocks of about kBlockBytes instead: the work
  // downstream goes by block, and a few blocks of many images would leave workers idle.
  int64_t block_rows = source_->RowsAreViews() ? output_block_rows(kViewBlockFactor * output_block_rows())
                                               : output_block_rows();
  const int64_t row_bytes = source_->RowBytes();
  if (row_bytes > 0) block_rows = std::clamp<int64_t>(kBlockBytes / row_bytes, 1, block_rows);
  // A block of runs reads about as many indices as a block of single rows would.
  const int64_t block_indices = std::max<int64_t>(1, block_rows / group) * group;
  const int64_t stride = block_indices * num_workers();
  for (int64_t start = worker_id * block_indices; start < total; start += stride) {
    const int64_t end = std::min(total, start + block_indices);
    // Cancellation is seen between blocks: a slow source should be given small blocks.
    if (cancelled()) return Status::Cancelled(name() + " cancelled");
    RowBlock block;
    block.reserve(static_cast<size_t>((end - start + group - 1) / group));
    RETURN_IF_ERROR(source_->GetBlock(indices_.data() + start, static_cast<size_t>(end - start),
                                      &block));
    if (group > 1) {
      // A row made of a run is numbered by the run's place in the pass, as a batch is.
      for (size_t r = 0; r < block.size(); ++r) {
        block[r].set_id(first_id_ + start / group + static_cast<int64_t>(r));
      }
    }
    RETURN_IF_ERROR(output()->Push(worker_id, std::move(block)));
  }
  // Every worker ends its queue; the consumer stops at the first end of data it meets in
  // order, which is the one right after the last block.
  return output()->Push(worker_id, RowBlock{TensorRow::EndOfData()});
}

std::string SourceOp::Describe() const {
  return name() + "(rows=" + std::to_string(source_->size()) + ", workers=" +
         std::to_string(num_workers()) + ", sampler=" + sampler_->Describe() + ")";
}

}  // namespace headrace::engine
