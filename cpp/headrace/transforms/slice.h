// Slice: a sub-tensor chosen dimension by dimension (mindspore.dataset.transforms.Slice).
//
// Each option selects positions along one dimension, in order from the first; dimensions
// without an option are kept whole. Unlike NumPy no dimension is dropped: an index keeps
// its dimension with size 1, as MindSpore does. Negative indices count from the end; an
// index out of range is an error, a range is clipped as Python's slice is.
// Thread-safe (no state besides the options).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

struct SliceOption {
  enum class Kind { kAll, kIndices, kRange };
  Kind kind = Kind::kAll;
  std::vector<int64_t> indices;  // kIndices: not empty
  // kRange: Python's slice(start, stop, step); unset bounds as in Python.
  std::optional<int64_t> start;
  std::optional<int64_t> stop;
  int64_t step = 1;

  static SliceOption All() { return {}; }
  static SliceOption Indices(std::vector<int64_t> indices) {
    return {Kind::kIndices, std::move(indices), {}, {}, 1};
  }
  static SliceOption Range(std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step) {
    return {Kind::kRange, {}, start, stop, step};
  }
};

class Slice : public TensorOp {
 public:
  // InvalidArgument for an empty list of indices or a step of 0.
  static Result<std::shared_ptr<Slice>> Make(std::vector<SliceOption> options);

  std::string name() const override { return "Slice"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  explicit Slice(std::vector<SliceOption> options) : options_(std::move(options)) {}

 private:
  const std::vector<SliceOption> options_;
};

}  // namespace headrace::transforms
