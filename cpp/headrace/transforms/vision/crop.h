// Crops (mindspore.dataset.vision Crop, CenterCrop, RandomCrop, RandomResizedCrop) and the
// window choice of RandomResizedCrop, which the fused decode-and-crop shares so that both
// paths take the same window for the same seed.
//
// Crops copy pixels exactly for any fixed-width dtype. ResizedCrop and RandomResizedCrop
// resample the window straight from the image (ResizeRegion with the window as box, no
// copy of the crop first). With MindSpore's kernels that is MindSpore's crop-then-resize
// (nothing outside the window is read); with Pillow's it is Pillow's
// img.resize(size, resample, box=window), whose filter may read image pixels just
// outside the window, where torchvision (crop, then resize) clamps to the crop.
// Thread-safe: the ops hold only their (immutable) parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "headrace/core/random.h"
#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/pad.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

// A rectangle of an image in pixels.
struct CropWindow {
  int64_t top, left, height, width;
};

struct RandomResizedCropParams {
  int64_t height = 0;  // output size
  int64_t width = 0;
  double scale_min = 0.08;  // fraction of the image's area
  double scale_max = 1.0;
  double ratio_min = 3.0 / 4.0;  // width / height
  double ratio_max = 4.0 / 3.0;
  Interpolation interpolation = Interpolation::kLinear;
  int64_t max_attempts = 10;
  // With a Pillow kernel: crop the window, then resize the crop (MindSpore's PILCUBIC and
  // ANTIALIAS) instead of resizing with the window as Pillow's box (torchvision on PIL
  // images). MindSpore's own kernels always crop first.
  bool crop_first = false;
};

// `window` of `image` resized to height x width: ResizeRegion with the window as box, or,
// with `crop_first` and a Pillow kernel, ResizeRegion of the cropped window alone.
Result<TensorPtr> ResizeWindow(const Tensor& image, const ImageLayout& layout, const CropWindow& window,
                               int64_t height, int64_t width, Interpolation interpolation, bool crop_first);

// torchvision's RandomResizedCrop.get_params: up to max_attempts draws of an area fraction
// (uniform in [scale_min, scale_max]) and an aspect ratio (log-uniform in [ratio_min,
// ratio_max]); the first window that fits gets a uniform position. When none fits, the
// largest centred window with its ratio clamped to the range. Draws only from `random`,
// so a Random made from the row's seed gives the same window for the same image size.
// `params` must be valid (RandomResizedCrop::Make checks); the window is never empty.
CropWindow ChooseRandomResizedCrop(Random& random, int64_t height, int64_t width,
                                   const RandomResizedCropParams& params);

// Crop(coordinates=(top, left), size): InvalidArgument from Compute if the window does
// not fit inside the image.
class Crop : public transforms::TensorOp {
 public:
  // InvalidArgument for negative coordinates or a non-positive size.
  static Result<std::shared_ptr<Crop>> Make(CropWindow window);
  explicit Crop(CropWindow window) : window_(window) {}

  std::string name() const override { return "Crop"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const CropWindow window_;
};

// Where CenterCrop puts an odd leftover pixel.
enum class CenterOffsets {
  kMindSpore,    // the crop starts at floor((size - crop) / 2); padding puts the odd pixel first
  kTorchvision,  // the crop starts at round_half_even((size - crop) / 2); padding puts it last
};

// CenterCrop(size): the centred window; a side longer than the image's is padded with
// zeros on both sides instead of failing (as both MindSpore and torchvision do).
class CenterCrop : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<CenterCrop>> Make(int64_t height, int64_t width, CenterOffsets offsets);
  CenterCrop(int64_t height, int64_t width, CenterOffsets offsets)
      : height_(height), width_(width), offsets_(offsets) {}

  std::string name() const override { return "CenterCrop"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t height_, width_;
  const CenterOffsets offsets_;
};

// Where RandomCrop took its window: the padding it added on the left and on top, and the
// window in the padded image.
struct CropPlacement {
  int64_t pad_left = 0;
  int64_t pad_top = 0;
  CropWindow window{0, 0, 0, 0};
};

// RandomCrop(size, padding, pad_if_needed, fill_value, padding_mode) as torchvision:
// pad by `padding` first; with pad_if_needed, pad a side shorter than the crop by the
// difference on both ends; then a uniformly placed window. InvalidArgument from Compute
// when the (padded) image is still smaller than the crop.
class RandomCrop : public transforms::TensorOp {
 public:
  static Result<std::shared_ptr<RandomCrop>> Make(int64_t height, int64_t width, Padding padding,
                                                  bool pad_if_needed, std::vector<uint8_t> fill,
                                                  BorderMode mode);
  RandomCrop(int64_t height, int64_t width, Padding padding, bool pad_if_needed,
             std::vector<uint8_t> fill, BorderMode mode)
      : height_(height), width_(width), padding_(padding), pad_if_needed_(pad_if_needed),
        fill_(std::move(fill)), mode_(mode) {}

  std::string name() const override { return "RandomCrop"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  // Compute's crop of `image` for `seed`, with where it was taken; errors named after
  // `transform`.
  Result<TensorPtr> Apply(std::string_view transform, TensorPtr image, uint64_t seed, CropPlacement* placement) const;

 private:
  const int64_t height_, width_;
  const Padding padding_;
  const bool pad_if_needed_;
  const std::vector<uint8_t> fill_;
  const BorderMode mode_;
};

// ResizedCrop(top, left, height, width, size, interpolation): the window resized to
// height x width of the output, as MindSpore (crop, then resize; see ResizeRegion).
// InvalidArgument from Compute if the window does not fit inside the image. Nearest takes
// any fixed-width dtype, the filters uint8 and float32.
class ResizedCrop : public transforms::TensorOp {
 public:
  // InvalidArgument for negative coordinates or a non-positive window or output size.
  // `crop_first` as RandomResizedCropParams::crop_first.
  static Result<std::shared_ptr<ResizedCrop>> Make(CropWindow window, int64_t height, int64_t width,
                                                   Interpolation interpolation, bool crop_first);
  ResizedCrop(CropWindow window, int64_t height, int64_t width, Interpolation interpolation, bool crop_first)
      : window_(window), height_(height), width_(width), interpolation_(interpolation), crop_first_(crop_first) {}

  std::string name() const override { return "ResizedCrop"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const CropWindow window_;
  const int64_t height_, width_;
  const Interpolation interpolation_;
  const bool crop_first_;
};

// RandomResizedCrop: ChooseRandomResizedCrop, then ResizeRegion of that window to the
// output size (with MindSpore's kernels: the window cropped, then resized, as MindSpore;
// with Pillow's: Pillow's resize with the window as box). uint8 and float32 images.
class RandomResizedCrop : public transforms::TensorOp {
 public:
  // InvalidArgument naming the argument: non-positive size, scale outside [0, inf) or
  // min > max, ratio not positive or min > max, max_attempts < 1.
  static Result<std::shared_ptr<RandomResizedCrop>> Make(const RandomResizedCropParams& params);
  explicit RandomResizedCrop(const RandomResizedCropParams& params) : params_(params) {}

  std::string name() const override { return "RandomResizedCrop"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
  const RandomResizedCropParams& params() const { return params_; }
  // Compute's output for `image` and `seed`, with the window it resized; errors named
  // after `transform`.
  Result<TensorPtr> Apply(std::string_view transform, const Tensor& image, uint64_t seed, CropWindow* window) const;

 private:
  const RandomResizedCropParams params_;
};

}  // namespace headrace::transforms
