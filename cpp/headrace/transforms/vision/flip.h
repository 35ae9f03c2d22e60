// Mirror transforms (mindspore.dataset.vision HorizontalFlip, VerticalFlip and their
// random versions). Exact for every fixed-width dtype (np.flip along the width or height).
// A random flip that does not flip returns its input tensor itself (no copy).
// Thread-safe: the ops hold only their probability.
#pragma once

#include <string>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

// `image` mirrored left to right (np.flip(image, axis=1)).
Result<TensorPtr> FlipHorizontal(const Tensor& image, const ImageLayout& layout);
// `image` mirrored top to bottom (np.flip(image, axis=0)).
Result<TensorPtr> FlipVertical(const Tensor& image, const ImageLayout& layout);

// Whether a random flip with probability `prob` flips the row with `seed`: the one draw
// the random flips and their WithBBox versions share, so both flip the same rows.
bool FlipDrawn(uint64_t seed, double prob);

class HorizontalFlip : public transforms::TensorOp {
 public:
  std::string name() const override { return "HorizontalFlip"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

class VerticalFlip : public transforms::TensorOp {
 public:
  std::string name() const override { return "VerticalFlip"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

// Flips with probability `prob` (drawn from the row's seed).
class RandomHorizontalFlip : public transforms::TensorOp {
 public:
  // InvalidArgument unless 0 <= prob <= 1.
  static Result<std::shared_ptr<RandomHorizontalFlip>> Make(double prob);
  explicit RandomHorizontalFlip(double prob) : prob_(prob) {}

  std::string name() const override { return "RandomHorizontalFlip"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double prob_;
};

class RandomVerticalFlip : public transforms::TensorOp {
 public:
  // InvalidArgument unless 0 <= prob <= 1.
  static Result<std::shared_ptr<RandomVerticalFlip>> Make(double prob);
  explicit RandomVerticalFlip(double prob) : prob_(prob) {}

  std::string name() const override { return "RandomVerticalFlip"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double prob_;
};

}  // namespace headrace::transforms
