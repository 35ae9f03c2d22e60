// Decoding of encoded images into HWC uint8 pixels: JPEG through libjpeg-turbo (its
// libjpeg API), PNG through libpng. Both decode to RGB, 3 channels, whatever the file
// stores (grey, palette, alpha and 16-bit PNGs are converted, as Pillow's convert('RGB')).
//
// A corrupt or truncated image is an error, never a partly grey picture: libjpeg's
// warnings (a premature end of data among them) count as errors here.
// Thread-safe: no state is shared between calls.
#pragma once

#include <cstddef>
#include <cstdint>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"

namespace headrace::transforms {

enum class ImageFormat { kUnknown, kJpeg, kPng };

// The format the first bytes announce.
ImageFormat DetectImageFormat(const uint8_t* data, size_t size);

// The image as a (height, width, 3) uint8 tensor. Errors say what is wrong with the data.
Result<TensorPtr> DecodeJpeg(const uint8_t* data, size_t size);
Result<TensorPtr> DecodePng(const uint8_t* data, size_t size);

// Decoding only what a crop keeps (the fused Decode + RandomResizedCrop): libjpeg-turbo
// skips the rows above the crop, decodes only the columns it needs, and can scale by 1/2,
// 1/4 or 1/8 while it decodes, which costs less than decoding in full and shrinking after.

// The part of a JPEG to decode, in full-resolution pixels, and the scale to decode it at.
struct JpegCrop {
  int64_t top, left, height, width;
  int scale_denominator;  // 1, 2, 4 or 8
  // Full-resolution pixels decoded beyond each side of the crop where the image has them.
  // Chroma upsampling reads neighbouring samples, and at the edges of a partial decode
  // libjpeg replicates instead: with a margin of a whole MCU (16) the crop's own pixels
  // are exactly a full decode's.
  int64_t margin = 0;
};

// Chooses the crop once the header has told the image's size (a random crop cannot be
// chosen before). Called once per decode, on the decoding thread.
class JpegCropPlanner {
 public:
  virtual ~JpegCropPlanner() = default;
  virtual JpegCrop Plan(int64_t height, int64_t width) = 0;
};

// What DecodeJpegRegion returns: decoded pixels that cover the crop (libjpeg widens it
// to whole blocks on the left and right), and where the crop lies within them, in their
// (scaled) pixels: the box to resample from.
struct JpegRegion {
  TensorPtr pixels;  // (rows, columns, 3) uint8
  double x0, y0, x1, y1;
};

Result<JpegRegion> DecodeJpegRegion(const uint8_t* data, size_t size, JpegCropPlanner* planner);

}  // namespace headrace::transforms
