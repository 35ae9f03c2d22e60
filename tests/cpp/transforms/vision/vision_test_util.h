// Helpers shared by the image transform tests: a structured test picture, JPEG and PNG
// encoders (the same libjpeg-turbo and libpng the codecs decode with; the project itself
// only decodes), and comparisons of uint8 images.
#pragma once

// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>
#include <png.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "headrace/core/tensor.h"

namespace headrace::transforms::testing {

// A (height, width, 3) uint8 picture: smooth colours, a flat rectangle with sharp edges,
// and a little noise, so that crops, resampling and colour operations all show.
inline TensorPtr Photo(int64_t height, int64_t width, uint32_t seed = 0) {
  TensorPtr image = *Tensor::Create(DataType::kUInt8, {height, width, 3});
  uint8_t* pixels = image->mutable_data();
  std::mt19937 noise(seed);
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      double rgb[3] = {120 + 90 * std::sin(x / 7.0), 120 + 90 * std::cos(y / 5.0),
                       static_cast<double>((x + y) % 256)};
      if (y >= height / 4 && y < height / 2 && x >= width / 3 && x < width / 2) {
        rgb[0] = 250, rgb[1] = 20, rgb[2] = 90;
      }
      for (int c = 0; c < 3; ++c) {
        const double value = rgb[c] + static_cast<double>(noise() % 21) - 10.0;
        pixels[(y * width + x) * 3 + c] = static_cast<uint8_t>(std::clamp(value, 0.0, 255.0));
      }
    }
  }
  return image;
}

// `bytes` as the 1-D uint8 tensor Decode takes.
inline TensorPtr EncodedTensor(const std::vector<uint8_t>& bytes) {
  TensorPtr tensor = *Tensor::Create(DataType::kUInt8, {static_cast<int64_t>(bytes.size())});
  std::memcpy(tensor->mutable_data(), bytes.data(), bytes.size());
  return tensor;
}

// `image` (HWC uint8, 3 channels) as a baseline JPEG file. libjpeg's default error handler
// exits the process; the input here is always valid, so it never runs.
inline TensorPtr EncodeJpeg(const Tensor& image, int quality = 90) {
  jpeg_compress_struct encoder;
  jpeg_error_mgr errors;
  encoder.err = jpeg_std_error(&errors);
  jpeg_create_compress(&encoder);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&encoder, &out, &size);
  encoder.image_height = static_cast<JDIMENSION>(image.shape()[0]);
  encoder.image_width = static_cast<JDIMENSION>(image.shape()[1]);
  encoder.input_components = 3;
  encoder.in_color_space = JCS_RGB;
  jpeg_set_defaults(&encoder);
  jpeg_set_quality(&encoder, quality, TRUE);
  jpeg_start_compress(&encoder, TRUE);
  const size_t stride = static_cast<size_t>(encoder.image_width) * 3;
  while (encoder.next_scanline < encoder.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(image.data()) + encoder.next_scanline * stride;
    jpeg_write_scanlines(&encoder, &row, 1);
  }
  jpeg_finish_compress(&encoder);
  jpeg_destroy_compress(&encoder);
  std::vector<uint8_t> bytes(out, out + size);
  std::free(out);
  return EncodedTensor(bytes);
}

// `image` (HWC uint8, 3 channels) as an RGB PNG file.
inline TensorPtr EncodePng(const Tensor& image) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.height = static_cast<png_uint_32>(image.shape()[0]);
  png.width = static_cast<png_uint_32>(image.shape()[1]);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.data(), 0, nullptr)) {
    ADD_FAILURE() << "libpng: " << png.message;
    return EncodedTensor({});
  }
  std::vector<uint8_t> bytes(size);
  if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, image.data(), 0, nullptr)) {
    ADD_FAILURE() << "libpng: " << png.message;
  }
  bytes.resize(size);
  return EncodedTensor(bytes);
}

// The bytes of a tensor, to compare or count images.
inline std::string BytesOf(const Tensor& tensor) {
  return std::string(reinterpret_cast<const char*>(tensor.data()), static_cast<size_t>(tensor.nbytes()));
}

// How far apart two uint8 images of one shape are: the mean and the 99th percentile of
// the absolute differences of their values.
struct ImageDifference {
  double mean;
  int percentile_99;
};

inline ImageDifference Difference(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  if (a.shape() != b.shape() || a.num_elements() == 0) return {255.0, 255};
  std::vector<int> diffs(static_cast<size_t>(a.num_elements()));
  double sum = 0;
  for (size_t i = 0; i < diffs.size(); ++i) {
    diffs[i] = std::abs(int{a.data()[i]} - int{b.data()[i]});
    sum += diffs[i];
  }
  std::sort(diffs.begin(), diffs.end());
  // numpy's percentile interpolates between two neighbours; the upper one is never less.
  const auto rank = static_cast<size_t>(std::ceil(0.99 * static_cast<double>(diffs.size() - 1)));
  return {sum / static_cast<double>(diffs.size()), diffs[rank]};
}

}  // namespace headrace::transforms::testing
