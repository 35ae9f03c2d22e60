// The resize kernels of MindSpore's Resize, ResizedCrop and RandomResizedCrop, which are
// OpenCV's cv::resize: a window of the image (MindSpore crops first, then resizes: the
// window is the whole picture, nothing outside it is read) scaled to a new size.
//
// Conventions (OpenCV's, documented in its resize.cpp and reproduced by our own code):
// - kNearest: output index d reads source floor(d * (1 / (dst / src))), clamped.
// - kLinear / kCubic: output pixel centres map to source coordinate (d + 0.5) * src / dst
//   - 0.5 (in float); LINEAR clamps it into the image, CUBIC (Keys, a = -0.75) replicates
//   the edge pixels. No antialiasing filter when shrinking. uint8 images use 11-bit
//   fixed-point weights (round(w * 2048)), an exact integer horizontal pass into 32-bit
//   rows, and a vertical pass that rounds as OpenCV's SIMD loops do; float32 images use
//   float weights and float sums in OpenCV's order.
// - A LINEAR shrink by exactly 2 in both directions is OpenCV's fast area path.
// - kArea, shrinking in both directions: the mean of each block when both factors are
//   integers, else the area-weighted mean of the source pixels each output cell covers.
//   kArea enlarging in either direction: LINEAR weights that follow each cell's overlap.
// Results agree with MindSpore 2.10 within 1 grey level on uint8 (the rare difference
// is the rounding of OpenCV's scalar tail loops) and ~1e-7 on float32 in [0, 1].
//
// Thread-safe: no shared state; each call allocates its own tables and row buffers.
#pragma once

#include <cstdint>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

// A window of an image, in whole pixels.
struct PixelWindow {
  int64_t top, left, height, width;
};

// The window `window` of `image` (HWC or HW, as `layout` says) resized to out_height x
// out_width with one of kNearest, kLinear, kCubic, kArea. kNearest takes any fixed-width
// dtype, the others uint8 and float32; any channel count. InvalidArgument (prefixed
// "OpenCvResize: ") for a window outside the image or empty, a non-positive output size,
// an unsupported dtype or a Pillow interpolation. A window of the output's size is a copy.
Result<TensorPtr> OpenCvResize(const Tensor& image, const ImageLayout& layout, const PixelWindow& window,
                               int64_t out_height, int64_t out_width, Interpolation interpolation);

}  // namespace headrace::transforms
