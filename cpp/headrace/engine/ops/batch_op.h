// BatchOp: the second stage of batching. Each block from GroupRowsOp is one batch's rows;
// BatchOp's workers take blocks in turn (a BlockOp, so batches keep their order), apply
// per_batch_map if there is one, and stack every column into a tensor with a new first
// dimension. Without
// padding every row of a batch must have the same shape per column (the error names the
// column and both shapes); with padding (padded_batch) the columns whose PadSpec is enabled
// are padded to one shape (see padding.h).
//
// MakeBatch() builds the two stages; use it rather than building them by hand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/engine/batch_map_function.h"
#include "headrace/engine/block_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/padding.h"

namespace headrace::engine {

class BatchOp : public BlockOp {
 public:
  struct Options {
    int64_t batch_size = 1;
    bool drop_remainder = false;
    // Column names after per_batch_map (for error messages).
    std::vector<std::string> column_names;
    // One per output column, or empty for no padding.
    std::vector<PadSpec> pads;
    // per_batch_map: applied to the columns at `input_indices`; the output row is built by
    // `layout` as in MapOp. Null: none.
    std::shared_ptr<BatchMapFunction> batch_map;
    std::vector<int> input_indices;
    std::vector<MapOp::OutputColumn> layout;
  };

  BatchOp(Options options, int num_workers);

  // Stacks `rows` (all data rows, at least one) column by column, padding the columns
  // whose entry of `pads` is enabled. Shared with the bucketing op.
  static Result<TensorRow> Stack(const std::vector<TensorRow>& rows,
                                 const std::vector<std::string>& column_names,
                                 const std::vector<PadSpec>& pads);

 protected:
  // Each input block is one batch's rows and must stay so: a limit asked of the batch
  // stops here instead of reaching GroupRowsOp.
  bool KeepsInputBlocks() const override { return false; }
  // The GroupRowsOp below starts at the same batch.
  void OnSetStart(int64_t pass, int64_t row) override;
  Status ProcessBlock(RowBlock* block, BlockPlace place) override;
  void OnCancel() override;
  void OnClearCancel() override;
  std::string Describe() const override;

 private:
  Result<std::vector<TensorRow>> ApplyBatchMap(std::vector<TensorRow> rows) const;

  const Options options_;
};

// GroupRowsOp(batch_size, drop_remainder) under a BatchOp with `num_workers` workers.
std::shared_ptr<DatasetOp> MakeBatch(std::shared_ptr<DatasetOp> child, BatchOp::Options options,
                                     int num_workers);

}  // namespace headrace::engine
