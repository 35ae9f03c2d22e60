// Batch transforms that mix images and their one-hot labels (mindspore.dataset.vision
// MixUpBatch, CutMixBatch, MixUp). They take two columns, a batch of images (N, ...) and
// its labels (N, C) or (N, L, C), and return both; every draw comes from the batch's seed.
//
//   MixUpBatch(alpha)  one lambda = x1 / (x1 + x2), x1, x2 ~ Gamma(alpha, 1) as floats, for
//       the batch and one random permutation p: image i becomes lam * image[i] + (1 - lam) *
//       image[p[i]] (uint8 and float32 computed in float, other dtypes in double, integers
//       rounded to nearest and saturated), labels the same, as float32. Images
//       (N, H, W, C) or (N, C, H, W), C 1 or 3, of any numeric dtype; labels numeric.
//   CutMixBatch(format, alpha, prob)  one permutation p, then per image a lambda and a
//       uniform draw; with probability prob a box of about (1 - lam) of the image (centre
//       uniform, MindSpore's clamping) is pasted from image p[i] at the same place, and the
//       labels mix with 1 - box area / image area. NHWC or NCHW as `format` says.
//   MixUp(batch_size, alpha, is_single)  MindSpore's Python MixUp: one lambda per image
//       from Beta(alpha, alpha) (double); is_single mixes image i with image (i + 1) % N of
//       the same batch, otherwise with the previous batch's output (the first batch is
//       left as it is). Images (N, H, W, C) of any numeric dtype, labels (N, C); both come back
//       as float64, as NumPy computes them. Without is_single the output depends on the
//       order batches arrive in, as MindSpore's does: use it with one worker.
// Thread-safe: MixUpBatch and CutMixBatch hold only their parameters; MixUp without
// is_single keeps the previous batch under a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

class MixUpBatch : public transforms::TensorOp {
 public:
  // InvalidArgument unless alpha > 0.
  static Result<std::shared_ptr<MixUpBatch>> Make(double alpha);
  explicit MixUpBatch(double alpha) : alpha_(alpha) {}

  std::string name() const override { return "MixUpBatch"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double alpha_;
};

enum class ImageBatchFormat { kNHWC, kNCHW };

class CutMixBatch : public transforms::TensorOp {
 public:
  // InvalidArgument unless alpha > 0 and 0 <= prob <= 1.
  static Result<std::shared_ptr<CutMixBatch>> Make(ImageBatchFormat format, double alpha, double prob);
  CutMixBatch(ImageBatchFormat format, double alpha, double prob) : format_(format), alpha_(alpha), prob_(prob) {}

  std::string name() const override { return "CutMixBatch"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const ImageBatchFormat format_;
  const double alpha_, prob_;
};

class MixUp : public transforms::TensorOp {
 public:
  // InvalidArgument unless batch_size >= 1 and alpha > 0.
  static Result<std::shared_ptr<MixUp>> Make(int64_t batch_size, double alpha, bool is_single);
  MixUp(int64_t batch_size, double alpha, bool is_single)
      : batch_size_(batch_size), alpha_(alpha), is_single_(is_single) {}

  std::string name() const override { return "MixUp"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t batch_size_;
  const double alpha_;
  const bool is_single_;
  std::mutex mu_;
  TensorPtr previous_images_ HEADRACE_GUARDED_BY(mu_);  // float64; null before the first batch
  TensorPtr previous_labels_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::transforms
