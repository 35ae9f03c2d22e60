// OneHot: integer labels to one-hot rows (mindspore.dataset.transforms.OneHot).
//
// A scalar label becomes a (num_classes,) row, a 1-D (n,) array of labels an
// (n, num_classes) array. Without smoothing the output keeps the label's integer dtype;
// with smoothing rate s it is float64 (as MindSpore's), 1 - s + s / num_classes at the label and
// s / num_classes elsewhere. A label outside [0, num_classes) is an error naming it.
// Thread-safe (no state besides the parameters).
#pragma once

#include <string>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class OneHot : public transforms::TensorOp {
 public:
  // InvalidArgument unless num_classes > 0 and 0 <= smoothing_rate <= 1.
  static Result<std::shared_ptr<OneHot>> Make(int64_t num_classes, double smoothing_rate);

  std::string name() const override { return "OneHot"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  OneHot(int64_t num_classes, double smoothing_rate)
      : num_classes_(num_classes), smoothing_rate_(smoothing_rate) {}

 private:
  const int64_t num_classes_;
  const double smoothing_rate_;
};

}  // namespace headrace::transforms
