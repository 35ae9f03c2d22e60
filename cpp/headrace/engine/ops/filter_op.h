// FilterOp: keeps the rows for which a predicate holds (Dataset.filter), on num_workers
// threads in input order, like MapOp: worker w takes blocks w, w+N, ... and pushes each,
// rows removed, into its own queue (possibly empty: the order still holds).
//
// The predicate is a TensorOp over the columns at `input_indices` that returns one
// element: a bool, or a number (non-zero keeps the row).
#pragma once

#include <memory>
#include <vector>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/tensor_op.h"

namespace headrace::engine {

class FilterOp : public DatasetOp {
 public:
  FilterOp(std::shared_ptr<TensorOp> predicate, std::vector<int> input_indices, int num_workers)
      : DatasetOp("Filter", num_workers), predicate_(std::move(predicate)),
        input_indices_(std::move(input_indices)) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  Status FilterBlock(RowBlock* block) const;

  const std::shared_ptr<TensorOp> predicate_;
  const std::vector<int> input_indices_;
};

}  // namespace headrace::engine
