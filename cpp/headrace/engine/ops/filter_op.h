// FilterOp: keeps the rows for which a predicate holds (Dataset.filter), on num_workers
// threads in input order (a BlockOp: a block whose rows were all dropped is pushed empty).
//
// The predicate is a TensorOp over the columns at `input_indices` that returns one
// element: a bool, or a number (non-zero keeps the row).
#pragma once

#include <memory>
#include <vector>

#include "headrace/engine/block_op.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::engine {

class FilterOp : public BlockOp {
 public:
  FilterOp(std::shared_ptr<transforms::TensorOp> predicate, std::vector<int> input_indices, int num_workers)
      : BlockOp("Filter", num_workers), predicate_(std::move(predicate)),
        input_indices_(std::move(input_indices)) {}

 protected:
  Status ProcessBlock(RowBlock* block, BlockPlace place) override;
  std::string Describe() const override;

 private:

  const std::shared_ptr<transforms::TensorOp> predicate_;
  const std::vector<int> input_indices_;
};

}  // namespace headrace::engine
