// JPEG decoding with libjpeg's API (libjpeg-turbo). libjpeg reports errors by longjmp, so
// the function that calls it holds no C++ object that needs destroying: the tensor is made
// in the caller's PixelSink between reading the header and decoding into it.
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include "headrace/transforms/vision/image_codecs.h"

namespace headrace::transforms {

namespace {

struct ErrorManager {
  jpeg_error_mgr base;  // first: libjpeg sees a jpeg_error_mgr*
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool warned;
};

void ExitWithError(j_common_ptr info) {
  auto* errors = reinterpret_cast<ErrorManager*>(info->err);
  errors->base.format_message(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// libjpeg only warns about data that ends early or is damaged, then fills in grey; a
// training pipeline must hear of it. Level -1 is a warning; others are trace messages.
void KeepWarning(j_common_ptr info, int level) {
  auto* errors = reinterpret_cast<ErrorManager*>(info->err);
  if (level == -1 && !errors->warned) {
    errors->base.format_message(info, errors->message);
    errors->warned = true;
  }
}

void Prepare(jpeg_decompress_struct* decoder, ErrorManager* errors) {
  decoder->err = jpeg_std_error(&errors->base);
  errors->base.error_exit = ExitWithError;
  errors->base.emit_message = KeepWarning;
  errors->message[0] = '\0';
  errors->warned = false;
}

// Where the pixels go: made by the caller once the size is known, so that the tensor
// lives in the caller's frame, which a longjmp does not skip.
struct PixelSink {
  Result<TensorPtr> image = Status::Internal("JPEG: no image was made");
  uint8_t* Make(int height, int width) {
    image = Tensor::Create(DataType::kUInt8, {height, width, 3});
    return image.ok() ? (*image)->mutable_data() : nullptr;
  }
};

// Reads the header once, has `sink` make room, decodes into it. False on a libjpeg error
// or warning (`errors->message` says which), or when the sink could not make room.
bool DecodeInto(const uint8_t* data, size_t size, ErrorManager* errors, PixelSink* sink) {
  jpeg_decompress_struct decoder;
  Prepare(&decoder, errors);
  if (setjmp(errors->jump)) {
    jpeg_destroy_decompress(&decoder);
    return false;
  }
  jpeg_create_decompress(&decoder);
  jpeg_mem_src(&decoder, data, static_cast<unsigned long>(size));
  jpeg_read_header(&decoder, TRUE);
  decoder.out_color_space = JCS_RGB;
  jpeg_start_decompress(&decoder);
  uint8_t* pixels = sink->Make(static_cast<int>(decoder.output_height),
                               static_cast<int>(decoder.output_width));
  if (pixels == nullptr) {
    jpeg_destroy_decompress(&decoder);
    return false;
  }
  const size_t stride = static_cast<size_t>(decoder.output_width) * 3;
  while (decoder.output_scanline < decoder.output_height) {
    JSAMPROW row = pixels + decoder.output_scanline * stride;
    jpeg_read_scanlines(&decoder, &row, 1);
  }
  jpeg_finish_decompress(&decoder);
  jpeg_destroy_decompress(&decoder);
  return !errors->warned;
}

}  // namespace

ImageFormat DetectImageFormat(const uint8_t* data, size_t size) {
  static const uint8_t kJpeg[] = {0xFF, 0xD8, 0xFF};
  static const uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (size >= sizeof(kJpeg) && std::memcmp(data, kJpeg, sizeof(kJpeg)) == 0) return ImageFormat::kJpeg;
  if (size >= sizeof(kPng) && std::memcmp(data, kPng, sizeof(kPng)) == 0) return ImageFormat::kPng;
  return ImageFormat::kUnknown;
}

Result<TensorPtr> DecodeJpeg(const uint8_t* data, size_t size) {
  ErrorManager errors;
  PixelSink sink;
  if (!DecodeInto(data, size, &errors, &sink)) {
    if (!sink.image.ok() && errors.message[0] == '\0') return sink.image.status();
    return Status::InvalidArgument(std::string("corrupt or truncated JPEG: ") + errors.message);
  }
  return std::move(sink.image);
}

}  // namespace headrace::transforms
