// The resampling kernel behind Resize, ResizedCrop, RandomResizedCrop and the fused
// decode-and-crop: a region of an image scaled to a new size. MindSpore's interpolations
// (kNearest, kLinear, kCubic, kArea) go to OpenCvResize (opencv_resize.h): the box, in
// whole pixels, is cropped and then resized as cv::resize does. The Pillow ones have the
// semantics of Pillow's Image.resize(size, resample, box=...), described below.
//
// Filters (bilinear, bicubic) are applied as two separable convolutions with the
// filter's support widened by the downscale factor (so shrinking antialiases), pixel
// centres at half-integers and the weights of each output pixel normalised to sum to one.
// The horizontal pass runs first, unless the height shrinks by more than twice as many
// pixels as the width (Pillow 13's order, which decides how the intermediate rounds). Near the border the support is clipped to the *image*, not to
// the box: pixels just outside the box but inside the image contribute, as in Pillow.
// Nearest picks the source pixel under the output pixel's centre.
//
// uint8 images use 22-bit fixed-point weights and an 8-bit intermediate image, exactly as
// Pillow does, so the output equals Pillow's bit for bit in all but rare cases where a
// double weight rounds differently (at most 1 apart). float32 images use float weights
// and accumulators (Pillow's 'F' mode uses double: results agree to ~1e-6 relative).
// Any channel count is taken; each channel is resampled on its own (no alpha
// premultiplication, unlike Pillow for RGBA).
//
// Thread-safe: no shared state; each call allocates its own tables and buffers.
#pragma once

#include <cstdint>
#include <string_view>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

// The resampling kernels. The first four are MindSpore's (its C++ kernels follow OpenCV's
// cv::resize / cv::warpAffine conventions: pixel-centre mapping, no antialiasing filter
// when shrinking, fixed-point weights); the Pillow ones are Pillow's Image.resize filters
// (what MindSpore's PILCUBIC and ANTIALIAS and torchvision on PIL images give).
// headrace.dataset.vision.Inter picks one of them through config.set_image_resampling.
enum class Interpolation {
  kNearest,  // OpenCV INTER_NEAREST
  kLinear,   // OpenCV INTER_LINEAR
  kCubic,    // OpenCV INTER_CUBIC (a = -0.75)
  kArea,     // OpenCV INTER_AREA
  kPillowNearest,
  kPillowBilinear,
  kPillowBicubic,
  kPillowLanczos,  // MindSpore's ANTIALIAS
  // MindSpore's PILCUBIC: Pillow's bicubic filter with the pass order of the Pillow code
  // MindSpore carries (horizontal first, always); Pillow 13 runs the vertical pass first
  // when the height shrinks much more than the width, which rounds the 8-bit
  // intermediate image differently.
  kMindSporePilCubic,
};

// The names the bindings use: "nearest", "linear", "cubic", "area", "pil_nearest",
// "pil_bilinear", "pil_bicubic", "pil_lanczos", "ms_pilcubic"; InvalidArgument naming `name` otherwise.
Result<Interpolation> ParseInterpolation(std::string_view name);
std::string_view InterpolationName(Interpolation interpolation);
// True for the Pillow kernels (fractional source boxes, antialiasing when shrinking).
bool IsPillowInterpolation(Interpolation interpolation);

// A region of the source image in pixel coordinates: x along the width, y along the
// height; the whole image is {0, 0, width, height}. Fractional values are allowed and
// are used at float precision, as Pillow stores its box.
struct SourceBox {
  double x0, y0, x1, y1;
};

// The region `box` of `image` (HWC or HW, described by `layout`) resampled to
// out_height x out_width. Nearest takes any fixed-width dtype; the filters take uint8 and
// float32. InvalidArgument (prefixed "ResizeRegion: ", or "OpenCvResize: " from MindSpore's
// kernels) for an empty box or one outside the image, a box not in whole pixels for
// MindSpore's kernels, a non-positive output size or an unsupported dtype. An integer box
// of exactly the output size is a plain copy.
Result<TensorPtr> ResizeRegion(const Tensor& image, const ImageLayout& layout, const SourceBox& box,
                               int64_t out_height, int64_t out_width, Interpolation interpolation);

}  // namespace headrace::transforms
