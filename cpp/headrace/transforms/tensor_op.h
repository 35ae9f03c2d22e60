// TensorOp: one transform applied by a map op to the selected columns of each row.
//
// Native transforms (this folder) and Python callables (bindings/) both implement it; the
// engine's map, filter and bucket-batch ops call it, so it lives here, below the engine. A map op hands a whole block of rows to each op in its chain, so that
// consecutive native ops run without returning to Python, and a Python op takes the GIL
// once per block instead of once per row.
//
// Randomness: each row comes with its own seed (see headrace/core/random.h). A random
// transform draws only from a Random made from that seed, so the same pipeline seed gives
// the same output whichever worker takes the row; other transforms ignore it.
//
// Threading: one TensorOp object is shared by every worker of its map op, so Compute and
// ComputeBlock must be safe to call concurrently (keep per-call state on the stack).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/core/tensor.h"

namespace headrace::transforms {

class TensorOp {
 public:
  virtual ~TensorOp() = default;

  // The name errors and statistics use, e.g. "TypeCast" or the Python function's name.
  virtual std::string name() const = 0;

  // How many steps of a chain this op stands for: a fused op (transforms/fusion.h) stands
  // for the ones it replaced and gets the seed of the last of them, so fusing changes no
  // random choice.
  virtual int chain_steps() const { return 1; }

  // Replaces `*columns` (this row's input) with this op's output; `seed` is the row's.
  virtual Status Compute(TensorList* columns, uint64_t seed) = 0;

  // Applies Compute to every row of a block, in order; stops at the first error.
  // `seeds` has one entry per row.
  virtual Status ComputeBlock(std::vector<TensorList>* rows, const std::vector<uint64_t>& seeds) {
    for (size_t i = 0; i < rows->size(); ++i) RETURN_IF_ERROR(Compute(&(*rows)[i], seeds[i]));
    return Status::OK();
  }

  // The map op is being cancelled: a Compute waiting on something other than the CPU (a
  // worker process) must return Cancelled soon. Any thread; must not block. Only map ops
  // call these, because only a map's chain can hold ops that wait (worker pools); a
  // BatchMapFunction has the same pair for the batch op.
  virtual void Cancel() {}
  // The map op will run again: forget an earlier Cancel().
  virtual void ClearCancel() {}
};

}  // namespace headrace::transforms
