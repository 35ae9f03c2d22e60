// Transforms that cut an image into several or pad it to a size (mindspore.dataset.vision
// FiveCrop, TenCrop, SlicePatches, PadToSize). Exact for every fixed-width dtype; images
// are (H, W) or (H, W, C).
//
//   FiveCrop(size)   five columns: the top-left, top-right, bottom-left, bottom-right and
//                    centre crops (MindSpore's order; the centre one at round((H - h) / 2),
//                    round((W - w) / 2), Python's round, as its center_crop).
//   TenCrop(size, use_vertical_flip)  ten columns: FiveCrop of the image, then FiveCrop of
//                    the image flipped left to right (top to bottom with use_vertical_flip).
//   SlicePatches(num_height, num_width, slice_mode, fill_value)  num_height * num_width
//                    columns, row by row: the image cut into equal tiles; PAD makes the
//                    tiles ceil(H / num_height) x ceil(W / num_width) and fills the part
//                    past the bottom and right edges with fill_value, DROP makes them
//                    floor(...) and drops what is left over.
//   PadToSize(size, offset, fill_value, padding_mode)  the image padded to size; offset is
//                    the (top, left) padding, by default half the extra rounded down.
//                    Images of 1 or 3 channels, as MindSpore's.
// Thread-safe: the ops hold only their parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/pad.h"

namespace headrace::transforms {

class TenCrop : public transforms::TensorOp {
 public:
  // InvalidArgument unless height, width >= 1. With `with_flips` false it is FiveCrop.
  static Result<std::shared_ptr<TenCrop>> Make(int64_t height, int64_t width, bool with_flips,
                                               bool use_vertical_flip);
  TenCrop(int64_t height, int64_t width, bool with_flips, bool use_vertical_flip)
      : height_(height), width_(width), with_flips_(with_flips), use_vertical_flip_(use_vertical_flip) {}

  std::string name() const override { return with_flips_ ? "TenCrop" : "FiveCrop"; }
  // InvalidArgument when the crop is larger than the image.
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t height_, width_;
  const bool with_flips_, use_vertical_flip_;
};

enum class SliceMode { kPad, kDrop };

class SlicePatches : public transforms::TensorOp {
 public:
  // InvalidArgument unless num_height, num_width >= 1 and fill_value in [0, 255].
  static Result<std::shared_ptr<SlicePatches>> Make(int64_t num_height, int64_t num_width, SliceMode mode,
                                                    int fill_value);
  SlicePatches(int64_t num_height, int64_t num_width, SliceMode mode, int fill_value)
      : num_height_(num_height), num_width_(num_width), mode_(mode), fill_value_(fill_value) {}

  std::string name() const override { return "SlicePatches"; }
  // InvalidArgument when there are more patches along an axis than pixels.
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t num_height_, num_width_;
  const SliceMode mode_;
  const int fill_value_;
};

class PadToSize : public transforms::TensorOp {
 public:
  // InvalidArgument unless height, width >= 1, offsets >= 0, fill one or three values.
  // `offset` is (top, left); none: centred.
  static Result<std::shared_ptr<PadToSize>> Make(int64_t height, int64_t width,
                                                 std::optional<std::pair<int64_t, int64_t>> offset,
                                                 std::vector<uint8_t> fill, BorderMode mode);
  PadToSize(int64_t height, int64_t width, std::optional<std::pair<int64_t, int64_t>> offset,
            std::vector<uint8_t> fill, BorderMode mode)
      : height_(height), width_(width), offset_(offset), fill_(std::move(fill)), mode_(mode) {}

  std::string name() const override { return "PadToSize"; }
  // InvalidArgument when the image (plus the offset) is larger than the size.
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int64_t height_, width_;
  const std::optional<std::pair<int64_t, int64_t>> offset_;
  const std::vector<uint8_t> fill_;
  const BorderMode mode_;
};

}  // namespace headrace::transforms
