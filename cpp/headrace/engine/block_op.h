// BlockOp: an op whose workers each turn one input block into one output block (map,
// filter, project, and the stacking stage of batch).
//
// Worker w takes blocks w, w+N, w+2N, ... of its child's output (it is consumer w of that
// connector) and pushes each result into queue w of its own output, so the order holds
// with any number of workers and without a reorder buffer. An error row from the input
// ends the worker with that error before ProcessBlock sees it; the block that ends with
// end of data is processed and pushed like any other, then the worker stops.
#pragma once

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

// Where a block stands: what per-row seeds are made of (headrace/core/random.h).
struct BlockPlace {
  int64_t pass;       // DatasetOp::pass_index()
  int64_t first_row;  // position of the block's first row in this pass's input (a resumed
                      // pass counts from its start row: the op's rows are its input's)
};

class BlockOp : public DatasetOp {
 public:
  using DatasetOp::DatasetOp;

 protected:
  // Turns `block` into the output block, in place. Control rows (end of epoch, end of
  // data) must stay in it, in order; the block may end up empty (a filter that dropped
  // every row): the empty block still keeps this worker's turn. Called concurrently by
  // the op's workers.
  virtual Status ProcessBlock(RowBlock* block, BlockPlace place) = 0;

  Status RunWorker(int worker_id) final;
  // Output blocks are input blocks, unless a subclass says otherwise (batch).
  bool KeepsInputBlocks() const override { return true; }
};

}  // namespace headrace::engine
