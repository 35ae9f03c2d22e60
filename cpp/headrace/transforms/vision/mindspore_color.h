// Brightness, contrast, saturation and hue as MindSpore's C++ kernels compute them on uint8
// images (OpenCV arithmetic), for AdjustBrightness, AdjustContrast, AdjustSaturation,
// AdjustHue and RandomColorAdjust under config.set_image_resampling("mindspore"), the
// default. color_adjust.h holds Pillow's versions of the same four.
//
// - Brightness: every value times the factor, rounded to nearest (cv::Mat::convertTo).
// - Contrast and saturation: cv::addWeighted(degenerate, 1 - factor, image, factor), i.e.
//   fma(degenerate, 1 - factor, image * factor) in float, rounded; the degenerate image is
//   OpenCV's grey conversion (saturation) or its mean, int(mean + 0.5) (contrast).
// - Hue: OpenCV's 8-bit RGB -> HSV_FULL (hue in 256 steps, fixed-point tables), the hue
//   byte plus uint8(factor * 255) modulo 256, then HSV_FULL -> RGB in float. OpenCV's AVX2
//   loop converts 32 pixels at a time and truncates; the pixels left at the end of a row
//   go through its scalar loop, which rounds. MindSpore's x86-64 wheel runs that loop, so
//   the same split is made here, row by row.
//
// Each takes a uint8 image of shape (H, W), (H, W, 1) or (H, W, 3) and returns a new one
// of the same shape (MindSpore takes only 3 channels; a grey image keeps its saturation
// and hue, and its contrast is blended with its own mean). InvalidArgument naming the
// transform otherwise. Pure functions: call them from any thread.
#pragma once

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace::transforms::kernels {

Result<TensorPtr> MindSporeBrightness(const Tensor& image, double factor);
// How the contrast's mean grey level becomes a level: int(mean + 0.5), as AdjustContrast,
// or to nearest even (cvRound of the double), as ApplyAugment's Contrast.
enum class MeanRounding { kHalfUp, kToEven };
Result<TensorPtr> MindSporeContrast(const Tensor& image, double factor, MeanRounding rounding = MeanRounding::kHalfUp);
Result<TensorPtr> MindSporeSaturation(const Tensor& image, double factor);
// factor in [-0.5, 0.5] (checked by the transforms).
Result<TensorPtr> MindSporeHue(const Tensor& image, double factor);

}  // namespace headrace::transforms::kernels
