// The random colour transforms of mindspore.dataset.vision, each a draw from the row's seed
// followed by a deterministic kernel of enhance.h / color_space.h:
//
//   RandomAdjustSharpness(degree, prob)        with probability prob, MindSporeSharpness(degree)
//   RandomAutoContrast(cutoff, ignore, prob)   with probability prob, MindSporeAutoContrast
//   RandomColor(low, high)                     BlendWithGrey(t), t uniform in [low, high]
//   RandomEqualize(prob)                       with probability prob, EqualizeHistogram (OpenCV's)
//   RandomGrayscale(prob)                      with probability prob, Grayscale (3 channels kept)
//   RandomInvert(prob)                         with probability prob, Invert (255 - v)
//   RandomLighting(alpha)                      AlexNet's PCA lighting noise, N(0, alpha) weights
//   RandomPosterize(low, high)                 Posterize(bits), bits uniform in {low, ..., high}
//   RandomSharpness(low, high)                 MindSporeSharpness(t), t uniform in [low, high]
//   RandomSolarize(low, high)                  Solarize between two thresholds drawn uniformly
//                                              from {low, ..., high} (sorted; equal ones: >= t)
//
// As MindSpore's C++ ops: the sharpness, colour, invert and solarize ones take float32
// images too (values on the 0-255 scale, not clipped); the others take uint8.
//
// One class serves them all: a transform is a name, an image check, a draw and an apply.
// Draw(seed) returns the parameters one row gets (empty: the row is left as it is), and
// Compute(image, seed) equals Apply(image, Draw(seed)), so tests can compare a random
// transform with its deterministic counterpart at the drawn parameters. Immutable after
// construction: Compute may run on many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/random.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class RandomImageTransform : public transforms::TensorOp {
 public:
  using Parameters = std::vector<double>;
  struct Spec {
    std::string name;
    std::function<Status(const Tensor& image)> check;  // InvalidArgument naming the transform
    std::function<Parameters(Random* random)> draw;
    std::function<Result<TensorPtr>(const Tensor& image, const Parameters& parameters)> apply;
  };

  explicit RandomImageTransform(Spec spec) : spec_(std::move(spec)) {}

  std::string name() const override { return spec_.name; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  Parameters Draw(uint64_t seed) const;
  // The image with `parameters` applied; `image` itself (no copy) for empty parameters.
  Result<TensorPtr> Apply(const TensorPtr& image, const Parameters& parameters) const;

 private:
  const Spec spec_;
};

using RandomImageTransformPtr = std::shared_ptr<RandomImageTransform>;

// The factories check their arguments as MindSpore does (InvalidArgument naming the
// transform and the argument): probabilities in [0, 1], degrees >= 0 with low <= high,
// cutoff in [0, 50), ignore values and thresholds in [0, 255], bits in [1, 8], alpha >= 0.
Result<RandomImageTransformPtr> MakeRandomAdjustSharpness(double degree, double prob);
Result<RandomImageTransformPtr> MakeRandomAutoContrast(double cutoff, std::vector<int> ignore, double prob);
Result<RandomImageTransformPtr> MakeRandomColor(double low, double high);
Result<RandomImageTransformPtr> MakeRandomEqualize(double prob);
Result<RandomImageTransformPtr> MakeRandomGrayscale(double prob);
Result<RandomImageTransformPtr> MakeRandomInvert(double prob);
Result<RandomImageTransformPtr> MakeRandomLighting(double alpha);
Result<RandomImageTransformPtr> MakeRandomPosterize(int low, int high);
Result<RandomImageTransformPtr> MakeRandomSharpness(double low, double high);
Result<RandomImageTransformPtr> MakeRandomSolarize(int low, int high);

namespace kernels {

// MindSpore's RandomColor for a drawn degree t: an (H, W, 3) image blended with its OpenCV
// grey level (ConvertColor's), t * pixel + (1 - t) * grey in float (cv::addWeighted):
// uint8 rounded to nearest and clipped, float32 as it is. t = 0 gives the grey image.
Result<TensorPtr> BlendWithGrey(const Tensor& image, double degree);

// MindSpore's RandomLighting for drawn weights (r, g, b): every pixel of a uint8 (H, W, 3)
// image plus the same offset, eigvec . (eigval * weights) over ImageNet's RGB PCA, in
// float, rounded to nearest and clipped.
Result<TensorPtr> Lighting(const Tensor& image, float weight_r, float weight_g, float weight_b);

}  // namespace kernels

}  // namespace headrace::transforms
