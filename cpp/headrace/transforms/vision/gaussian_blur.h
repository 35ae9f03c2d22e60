// GaussianBlur (mindspore.dataset.vision.GaussianBlur): OpenCV's cv::GaussianBlur with a
// separable kernel and the reflect-101 border (dcb|abcd|cba), as MindSpore calls it.
//
// The kernels are OpenCV's: for sigma <= 0 and sizes 1, 3, 5, 7 the fixed binomial ones,
// otherwise exp(-x^2 / (2 sigma^2)) normalised. uint8 images go through OpenCV's bit-exact
// fixed-point path: each kernel rounded to 8 fraction bits with the error carried from the
// ends to the centre (so it sums to exactly 1), the horizontal pass exact in 16 bits, the
// vertical one in 32, rounded half up once at the end. float32 images are filtered in float.
//
// MindSpore's defaults: a sigma <= 0 becomes kernel_x * 0.15 + 0.35 (in float), and a single
// sigma serves both axes. Immutable: Compute may run on many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

namespace kernels {

// OpenCV's Gaussian kernel of odd `size` for `sigma` (<= 0: the default for the size).
std::vector<double> GaussianKernel(int size, double sigma);

// `kernel` in fixed point with `fraction_bits`, summing to exactly 1 << fraction_bits.
std::vector<uint32_t> FixedPointKernel(const std::vector<double>& kernel, int fraction_bits);

// The blur of an (H, W) or (H, W, C) uint8 or float32 image; kernel sizes odd and positive.
Result<TensorPtr> GaussianBlur(const Tensor& image, int kernel_x, int kernel_y, double sigma_x, double sigma_y);

}  // namespace kernels

class GaussianBlur : public transforms::TensorOp {
 public:
  // kernel sizes odd and positive; sigmas finite (<= 0: MindSpore's default from kernel_x).
  // `sigma_y` < 0 means "the same as sigma_x" (a single sigma given).
  static Result<std::shared_ptr<GaussianBlur>> Make(int kernel_x, int kernel_y, double sigma_x, double sigma_y);
  GaussianBlur(int kernel_x, int kernel_y, double sigma_x, double sigma_y)
      : kernel_x_(kernel_x), kernel_y_(kernel_y), sigma_x_(sigma_x), sigma_y_(sigma_y) {}
  std::string name() const override { return "GaussianBlur"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int kernel_x_;
  const int kernel_y_;
  const double sigma_x_;
  const double sigma_y_;
};

}  // namespace headrace::transforms
