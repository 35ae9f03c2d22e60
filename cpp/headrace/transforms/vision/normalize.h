// Value and layout transforms that end most image pipelines, as
// mindspore.dataset.vision.Normalize, NormalizePad, Rescale and HWC2CHW:
//   Normalize(mean, std, is_hwc)  uint8 or float32 -> float32, (pixel - mean[c]) / std[c];
//   NormalizePad(...)             Normalize, then a fourth channel of zeros;
//   Rescale(rescale, shift)       uint8 or float32 -> float32, pixel * rescale + shift;
//   HWC2CHW()                     any fixed-width dtype, (H, W, C) -> (C, H, W), (H, W) -> (1, H, W).
// They are separate transforms (as in MindSpore) but each is one pass over the image with
// a loop the compiler vectorises. On a 224x224x3 image (150,528 values) Normalize costs
// one convert, subtract and multiply per value (~20-40 us on one core) and HWC2CHW one
// read and one write of 600 KB of float32 (~50-100 us): small next to decoding and
// resizing the same image.
//
// Errors (InvalidArgument) name the transform and the dtype and shape it got. All three
// are stateless after construction: Compute may run on many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class Normalize : public transforms::TensorOp {
 public:
  // `mean` and `std` hold one value per channel (on the 0-255 scale, as MindSpore), or one
  // value for every channel. InvalidArgument (naming the argument) when they are empty,
  // differ in length, or a std is not positive and finite.
  static Result<std::shared_ptr<Normalize>> Make(std::vector<float> mean, std::vector<float> std,
                                                 bool is_hwc);

  std::string name() const override { return "Normalize"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // The kernel: a float32 image of the input's shape. Channels are the last axis when
  // `is_hwc`, the first otherwise (a 2-D image has one channel either way).
  static Result<TensorPtr> Apply(const Tensor& image, const std::vector<float>& mean,
                                 const std::vector<float>& std, bool is_hwc);

  Normalize(std::vector<float> mean, std::vector<float> std, bool is_hwc)
      : mean_(std::move(mean)), std_(std::move(std)), is_hwc_(is_hwc) {}

 private:
  const std::vector<float> mean_;
  const std::vector<float> std_;
  const bool is_hwc_;
};

// mindspore.dataset.vision.NormalizePad: Normalize of a 3-channel image, then a fourth
// channel of zeros; float32 or float16 (`dtype`). HWC (H, W, 3) -> (H, W, 4), or with
// is_hwc=False (3, H, W) -> (4, H, W).
class NormalizePad : public transforms::TensorOp {
 public:
  // Three means and stds (std positive and finite); dtype kFloat32 or kFloat16.
  static Result<std::shared_ptr<NormalizePad>> Make(std::vector<float> mean, std::vector<float> std,
                                                    DataType dtype, bool is_hwc);

  std::string name() const override { return "NormalizePad"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  static Result<TensorPtr> Apply(const Tensor& image, const std::vector<float>& mean,
                                 const std::vector<float>& std, DataType dtype, bool is_hwc);

  NormalizePad(std::vector<float> mean, std::vector<float> std, DataType dtype, bool is_hwc)
      : mean_(std::move(mean)), std_(std::move(std)), dtype_(dtype), is_hwc_(is_hwc) {}

 private:
  const std::vector<float> mean_;
  const std::vector<float> std_;
  const DataType dtype_;
  const bool is_hwc_;
};

class Rescale : public transforms::TensorOp {
 public:
  Rescale(float rescale, float shift) : rescale_(rescale), shift_(shift) {}

  std::string name() const override { return "Rescale"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // The kernel: float32 pixel * rescale + shift, computed in float32.
  static Result<TensorPtr> Apply(const Tensor& image, float rescale, float shift);

 private:
  const float rescale_;
  const float shift_;
};

class HWC2CHW : public transforms::TensorOp {
 public:
  std::string name() const override { return "HWC2CHW"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

  // The kernel: the exact transpose (np.transpose(image, (2, 0, 1))) into fresh memory; an
  // (H, W) image becomes (1, H, W). (Compute keeps an (H, W) image as it is, as MindSpore.)
  static Result<TensorPtr> Apply(const Tensor& image);
};

}  // namespace headrace::transforms
