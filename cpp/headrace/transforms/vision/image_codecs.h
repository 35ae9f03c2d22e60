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

}  // namespace headrace::transforms
