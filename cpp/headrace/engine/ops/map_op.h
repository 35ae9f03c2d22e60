// MapOp: applies a chain of TensorOps to selected columns of every row, on num_workers
// threads, keeping the input order.
//
// A BlockOp: each worker takes whole blocks in turn, so the order holds; each block goes
// through the whole chain before the next is taken.
//
// Column layout: the chain receives the columns at `input_indices` (in that order) and
// returns some number of results; the output row is built by `layout`, one entry per
// output column: a result (index into the chain's output) or an input column passed
// through. The tree builder derives both from the column names.
//
// Seeds: row r of pass p gets MixSeed(MixSeed(seed, p), r), and chain step k gets that
// mixed with k, so random transforms repeat exactly for the same seed (core/random.h). An
// op standing for several steps (chain_steps) counts as that many.
#pragma once

#include <memory>
#include <vector>

#include "headrace/engine/block_op.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::engine {

class MapOp : public BlockOp {
 public:
  struct OutputColumn {
    bool from_result;  // true: chain result `index`; false: input column `index`
    int index;
  };

  MapOp(std::vector<std::shared_ptr<transforms::TensorOp>> chain, std::vector<int> input_indices,
        std::vector<OutputColumn> layout, int num_workers, uint64_t seed = 0);

 protected:
  Status ProcessBlock(RowBlock* block, BlockPlace place) override;
  std::string Describe() const override;
  void OnCancel() override;
  void OnClearCancel() override;

 private:

  const std::vector<std::shared_ptr<transforms::TensorOp>> chain_;
  const std::vector<int> input_indices_;
  const std::vector<OutputColumn> layout_;
  const uint64_t seed_;
  size_t num_results_ = 0;  // entries of layout_ that are results
  // Every passed-through column keeps its position: results can be put in place. (Rows
  // whose column count differs from layout_ are rebuilt instead; see ProcessBlock.)
  bool in_place_ = false;
};

}  // namespace headrace::engine
