// Value transforms of mindspore.dataset.vision that change what the numbers mean rather than
// what the picture shows: AdjustGamma, ToTensor and LinearTransformation.
//
// Errors (InvalidArgument) name the transform and what it got. The classes are immutable:
// Compute may run on many threads at once.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/data_type.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

namespace kernels {

// MindSpore's AdjustGamma on an image of shape (H, W) or (..., H, W, C) with C 1 or 3.
// uint8: through the table floor(min((i / 255)^gamma * (256 - 1e-3) * gain, 255));
// float32: (value * gain)^gamma clipped to [0, 1] (values taken to be on the 0-1 scale).
Result<TensorPtr> AdjustGamma(const Tensor& image, double gamma, double gain);

// MindSpore's ToTensor: an (H, W) or (H, W, C) image of any numeric dtype to (C, H, W) (2-D
// images get C = 1), every value divided by 255 in float32, then cast to `output_type`.
Result<TensorPtr> ToTensor(const Tensor& image, DataType output_type);

}  // namespace kernels

class AdjustGamma : public transforms::TensorOp {
 public:
  // gamma and gain finite, gamma >= 0.
  static Result<std::shared_ptr<AdjustGamma>> Make(double gamma, double gain);
  AdjustGamma(double gamma, double gain) : gamma_(gamma), gain_(gain) {}
  std::string name() const override { return "AdjustGamma"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double gamma_;
  const double gain_;
};

class ToTensor : public transforms::TensorOp {
 public:
  // output_type: any numeric dtype.
  static Result<std::shared_ptr<ToTensor>> Make(DataType output_type);
  explicit ToTensor(DataType output_type) : output_type_(output_type) {}
  std::string name() const override { return "ToTensor"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const DataType output_type_;
};

// The image flattened to D values x, then (x - mean_vector) . transformation_matrix (a D x D
// matrix, row-major), reshaped back: MindSpore's LinearTransformation (NumPy's dot). Any
// numeric input of D values; the result is float64, or float32 when the parameters are
// float32 and the image float32 or an integer type of at most 16 bits (NumPy's promotion).
class LinearTransformation : public transforms::TensorOp {
 public:
  // InvalidArgument unless the matrix has D * D values and the mean D, D > 0.
  static Result<std::shared_ptr<LinearTransformation>> Make(std::vector<double> matrix, std::vector<double> mean,
                                                            bool float32_parameters);
  LinearTransformation(std::vector<double> matrix, std::vector<double> mean, bool float32_parameters)
      : matrix_(std::move(matrix)), mean_(std::move(mean)), float32_parameters_(float32_parameters) {}
  std::string name() const override { return "LinearTransformation"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  Result<TensorPtr> Apply(const Tensor& image) const;

 private:
  const std::vector<double> matrix_;
  const std::vector<double> mean_;
  const bool float32_parameters_;
};

}  // namespace headrace::transforms
