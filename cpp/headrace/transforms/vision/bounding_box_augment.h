// BoundingBoxAugment (mindspore.dataset.vision): each bounding box, with probability
// `ratio`, has its region of the image replaced by `transform` of that region. The region
// is the box with its corner and size truncated to integers; a result of another size is
// resized back to the region with LINEAR, as MindSpore does. The boxes are unchanged.
// The draws come from the row's seed: one per box, then the transform's own seed per box.
// Thread-safe when `transform` is.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class BoundingBoxAugment : public transforms::TensorOp {
 public:
  // InvalidArgument unless 0 <= ratio <= 1.
  static Result<std::shared_ptr<BoundingBoxAugment>> Make(std::shared_ptr<TensorOp> transform, double ratio);
  BoundingBoxAugment(std::shared_ptr<TensorOp> transform, double ratio)
      : transform_(std::move(transform)), ratio_(ratio) {}

  std::string name() const override { return "BoundingBoxAugment"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const std::shared_ptr<TensorOp> transform_;
  const double ratio_;
};

}  // namespace headrace::transforms
