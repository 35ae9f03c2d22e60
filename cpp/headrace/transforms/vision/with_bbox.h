// The detection versions of the geometric transforms (mindspore.dataset.vision's *WithBBox):
// each takes two columns, an image and its bounding boxes (bounding_boxes.h), transforms
// the image exactly as the plain transform it wraps does for the same seed, and moves,
// scales, clips or drops the boxes to match (MindSpore's arithmetic).
// Thread-safe: the ops hold only their (immutable) wrapped transform.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/resize.h"

namespace headrace::transforms {

// ResizeWithBBox (a Resize) and RandomResizeWithBBox (a RandomResize): the boxes scale
// with the image.
class ResizeWithBBox : public transforms::TensorOp {
 public:
  ResizeWithBBox(std::string name, std::shared_ptr<TensorOp> resize) : name_(std::move(name)), resize_(std::move(resize)) {}
  std::string name() const override { return name_; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const std::string name_;
  const std::shared_ptr<TensorOp> resize_;
};

// RandomHorizontalFlipWithBBox / RandomVerticalFlipWithBBox: with probability `prob`
// (the draw RandomHorizontalFlip makes for the seed), the image and the boxes mirrored.
class RandomFlipWithBBox : public transforms::TensorOp {
 public:
  // InvalidArgument unless 0 <= prob <= 1.
  static Result<std::shared_ptr<RandomFlipWithBBox>> Make(double prob, bool horizontal);
  RandomFlipWithBBox(double prob, bool horizontal) : prob_(prob), horizontal_(horizontal) {}
  std::string name() const override {
    return horizontal_ ? "RandomHorizontalFlipWithBBox" : "RandomVerticalFlipWithBBox";
  }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const double prob_;
  const bool horizontal_;
};

// RandomCropWithBBox: RandomCrop's padding and window; the boxes move with the padding,
// then are clipped to the window (boxes outside it are dropped).
class RandomCropWithBBox : public transforms::TensorOp {
 public:
  explicit RandomCropWithBBox(std::shared_ptr<RandomCrop> crop) : crop_(std::move(crop)) {}
  std::string name() const override { return "RandomCropWithBBox"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const std::shared_ptr<RandomCrop> crop_;
};

// RandomResizedCropWithBBox: RandomResizedCrop's window; the boxes are clipped to it (or
// dropped), then scaled from the window's size to the output's.
class RandomResizedCropWithBBox : public transforms::TensorOp {
 public:
  explicit RandomResizedCropWithBBox(std::shared_ptr<RandomResizedCrop> crop) : crop_(std::move(crop)) {}
  std::string name() const override { return "RandomResizedCropWithBBox"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const std::shared_ptr<RandomResizedCrop> crop_;
};

}  // namespace headrace::transforms
