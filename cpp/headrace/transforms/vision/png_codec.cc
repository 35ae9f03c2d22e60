// PNG decoding with libpng. Like libjpeg it reports errors by longjmp, so the function
// that calls it holds no C++ object that needs destroying.
#include <png.h>

#include <cstring>
#include <string>

#include "headrace/transforms/vision/image_codecs.h"

namespace headrace::transforms {

namespace {

struct Reader {
  const uint8_t* data;
  size_t size;
  size_t position;
  char message[256];
};

void ReadFromMemory(png_structp png, png_bytep out, png_size_t count) {
  auto* reader = static_cast<Reader*>(png_get_io_ptr(png));
  if (count > reader->size - reader->position) png_error(png, "the data ends early");
  std::memcpy(out, reader->data + reader->position, count);
  reader->position += count;
}

void KeepError(png_structp png, png_const_charp message) {
  auto* reader = static_cast<Reader*>(png_get_io_ptr(png));
  std::strncpy(reader->message, message, sizeof(reader->message) - 1);
  reader->message[sizeof(reader->message) - 1] = '\0';
  png_longjmp(png, 1);
}

void IgnoreWarning(png_structp, png_const_charp) {}

// Reads the header and sets up conversion to 8-bit RGB (what Pillow's convert('RGB')
// gives: palette and grey expanded, alpha dropped, 16 bits cut to 8).
bool ReadHeader(png_structp png, png_infop info, int* height, int* width, int* passes) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  const int depth = png_get_bit_depth(png, info);
  const int color = png_get_color_type(png, info);
  if (depth == 16) png_set_strip_16(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  *passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  *height = static_cast<int>(png_get_image_height(png, info));
  *width = static_cast<int>(png_get_image_width(png, info));
  return png_get_rowbytes(png, info) == static_cast<size_t>(*width) * 3;
}

// Interlaced images need every row at hand for each of their `passes`.
bool ReadPixels(png_structp png, uint8_t* pixels, int height, int width, int passes) {
  if (setjmp(png_jmpbuf(png))) return false;
  const size_t stride = static_cast<size_t>(width) * 3;
  for (int pass = 0; pass < passes; ++pass) {
    for (int y = 0; y < height; ++y) png_read_row(png, pixels + y * stride, nullptr);
  }
  png_read_end(png, nullptr);
  return true;
}

}  // namespace

Result<TensorPtr> DecodePng(const uint8_t* data, size_t size) {
  Reader reader{data, size, 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, KeepError, IgnoreWarning);
  if (png == nullptr) return Status::ResourceExhausted("PNG: cannot make a decoder");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return Status::ResourceExhausted("PNG: cannot make a decoder");
  }
  png_set_read_fn(png, &reader, ReadFromMemory);
  int height = 0;
  int width = 0;
  int passes = 1;
  Status status;
  if (!ReadHeader(png, info, &height, &width, &passes)) {
    status = Status::InvalidArgument(std::string("corrupt PNG header: ") + reader.message);
  }
  TensorPtr image;
  if (status.ok()) {
    Result<TensorPtr> made = Tensor::Create(DataType::kUInt8, {height, width, 3});
    if (made.ok()) {
      image = std::move(made).value();
    } else {
      status = made.status();
    }
  }
  if (status.ok() && !ReadPixels(png, image->mutable_data(), height, width, passes)) {
    status = Status::InvalidArgument(std::string("corrupt or truncated PNG: ") + reader.message);
  }
  png_destroy_read_struct(&png, &info, nullptr);
  if (!status.ok()) return status;
  return image;
}

}  // namespace headrace::transforms
