// Colour-space conversions of mindspore.dataset.vision: ConvertColor (OpenCV's cvtColor for
// the modes of vision.ConvertMode), Grayscale (Pillow's "L" conversion, as MindSpore's
// Python Grayscale), and RgbToHsv / HsvToRgb (Python's colorsys per pixel, as MindSpore's
// Python transforms of those names).
//
// Errors (InvalidArgument) name the transform and the dtype and shape it got. Every class is
// immutable after construction: Compute may run on many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

// One of vision.ConvertMode: where the channels come from and what the output holds.
struct ColorConversion {
  int source_channels;  // 1 (grey) or 3 (colour; 4-channel input also taken, alpha dropped or kept)
  int output_channels;  // 1 (grey, a 2-D output), 3 or 4
  bool swap_red_blue;   // BGR <-> RGB
  bool source_is_bgr;   // for the grey conversions: which end is blue
};

// The conversion named like "COLOR_RGB2GRAY" (ConvertMode's member names); InvalidArgument
// naming the mode otherwise.
Result<ColorConversion> ParseColorConversion(std::string_view mode);

namespace kernels {

// cv::cvtColor of an (H, W, C) or (H, W) image of uint8, uint16 or float32. Grey outputs are
// (H, W): OpenCV's fixed-point Y = (R*9798 + G*19235 + B*3735 + 2^14) >> 15 for uint8 and
// uint16, 0.299 R + 0.587 G + 0.114 B for float32. A new alpha channel is the dtype's
// maximum (255, 65535 or 1.0); an existing one is kept.
Result<TensorPtr> ConvertColor(const Tensor& image, const ColorConversion& conversion);

// Pillow's Image.convert("L") of a uint8 RGB(A) image, or a grey (H, W) / (H, W, 1) one
// (kept as it is): an (H, W) image, or (H, W, 3) with the grey level in every channel when
// `output_channels` is 3.
Result<TensorPtr> Grayscale(const Tensor& image, int output_channels);

// colorsys.rgb_to_hsv / hsv_to_rgb applied to every pixel of an image of shape (H, W, 3) or
// (N, H, W, 3) when `is_hwc`, (3, H, W) or (N, 3, H, W) otherwise, on the values as they
// are (no scaling: uint8 RGB gives h, s in [0, 1) and v in [0, 255]). float32 stays
// float32 (computed in double, rounded once); every other numeric dtype gives float64.
Result<TensorPtr> RgbToHsv(const Tensor& image, bool is_hwc);
Result<TensorPtr> HsvToRgb(const Tensor& image, bool is_hwc);

}  // namespace kernels

class ConvertColor : public transforms::TensorOp {
 public:
  // `mode`: a ConvertMode member name (InvalidArgument otherwise).
  static Result<std::shared_ptr<ConvertColor>> Make(std::string_view mode);
  explicit ConvertColor(ColorConversion conversion) : conversion_(conversion) {}
  std::string name() const override { return "ConvertColor"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const ColorConversion conversion_;
};

class Grayscale : public transforms::TensorOp {
 public:
  // num_output_channels 1 or 3 (InvalidArgument otherwise).
  static Result<std::shared_ptr<Grayscale>> Make(int num_output_channels);
  explicit Grayscale(int channels) : channels_(channels) {}
  std::string name() const override { return "Grayscale"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const int channels_;
};

// RgbToHsv and HsvToRgb: `to_hsv` picks the direction.
class HsvConversion : public transforms::TensorOp {
 public:
  HsvConversion(bool to_hsv, bool is_hwc) : to_hsv_(to_hsv), is_hwc_(is_hwc) {}
  std::string name() const override { return to_hsv_ ? "RgbToHsv" : "HsvToRgb"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const bool to_hsv_;
  const bool is_hwc_;
};

}  // namespace headrace::transforms
