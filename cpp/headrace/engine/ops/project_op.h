// ProjectOp: keeps the columns at `indices`, in that order (Dataset.project). It moves
// tensor pointers only, a whole block at a time.
#pragma once

#include <vector>

#include "headrace/engine/block_op.h"

namespace headrace::engine {

class ProjectOp : public BlockOp {
 public:
  explicit ProjectOp(std::vector<int> indices) : BlockOp("Project", 1), indices_(std::move(indices)) {}

 protected:
  Status ProcessBlock(RowBlock* block, BlockPlace place) override;
  std::string Describe() const override;

 private:
  const std::vector<int> indices_;
};

}  // namespace headrace::engine
