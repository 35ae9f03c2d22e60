// JPEG decoding with libjpeg's API (libjpeg-turbo). libjpeg reports errors by longjmp, so
// the function that calls it holds no C++ object that needs destroying: the tensor is made
// in the caller's PixelSink between reading the header and decoding into it.
#include <algorithm>
#include <cmath>
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

// The rows and columns of the scaled image that DecodeInto read, and the crop within them.
struct DecodedPart {
  JDIMENSION first_row, first_column;
  double x0, y0, x1, y1;
};

// Reads the header once, has `sink` make room, decodes into it: the whole image, or with a
// `planner` the part it asks for (then `part` says which). False on a libjpeg error or
// warning (`errors->message` says which), or when the sink could not make room.
bool DecodeInto(const uint8_t* data, size_t size, ErrorManager* errors, PixelSink* sink,
                JpegCropPlanner* planner, DecodedPart* part) {
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
  JpegCrop crop{0, 0, decoder.image_height, decoder.image_width, 1};
  if (planner != nullptr) {
    crop = planner->Plan(decoder.image_height, decoder.image_width);
    decoder.scale_num = 1;
    decoder.scale_denom = static_cast<unsigned int>(crop.scale_denominator);
  }
  jpeg_start_decompress(&decoder);
  JDIMENSION first_row = 0;
  JDIMENSION end_row = decoder.output_height;
  if (planner != nullptr) {
    // The crop in the scaled image's pixels, widened to whole pixels.
    const double scale = 1.0 / crop.scale_denominator;
    const auto clamp = [](double value, JDIMENSION limit) {
      return static_cast<JDIMENSION>(value < 0 ? 0 : value > limit ? limit : value);
    };
    const double margin = static_cast<double>(crop.margin);
    JDIMENSION first_column = clamp(std::floor((crop.left - margin) * scale), decoder.output_width - 1);
    const JDIMENSION end_column =
        clamp(std::ceil((crop.left + crop.width + margin) * scale), decoder.output_width);
    first_row = clamp(std::floor((crop.top - margin) * scale), decoder.output_height - 1);
    end_row = std::max(first_row + 1, clamp(std::ceil((crop.top + crop.height + margin) * scale),
                                            decoder.output_height));
    JDIMENSION columns = std::max<JDIMENSION>(1, end_column - first_column);
    // Widens to whole blocks: first_column may move left, columns grow.
    jpeg_crop_scanline(&decoder, &first_column, &columns);
    if (first_row > 0) jpeg_skip_scanlines(&decoder, first_row);
    *part = DecodedPart{first_row, first_column,
                        crop.left * scale - first_column, crop.top * scale - first_row,
                        (crop.left + crop.width) * scale - first_column,
                        (crop.top + crop.height) * scale - first_row};
  }
  uint8_t* pixels = sink->Make(static_cast<int>(end_row - first_row),
                               static_cast<int>(decoder.output_width));
  if (pixels == nullptr) {
    jpeg_destroy_decompress(&decoder);
    return false;
  }
  const size_t stride = static_cast<size_t>(decoder.output_width) * 3;
  while (decoder.output_scanline < end_row) {
    JSAMPROW row = pixels + (decoder.output_scanline - first_row) * stride;
    jpeg_read_scanlines(&decoder, &row, 1);
  }
  if (end_row == decoder.output_height) {
    jpeg_finish_decompress(&decoder);
  } else {
    jpeg_abort_decompress(&decoder);  // the rows below the crop are not needed
  }
  jpeg_destroy_decompress(&decoder);
  return !errors->warned;
}

Status CorruptJpeg(const ErrorManager& errors) {
  return Status::InvalidArgument(std::string("corrupt or truncated JPEG: ") + errors.message);
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
  if (!DecodeInto(data, size, &errors, &sink, nullptr, nullptr)) {
    if (!sink.image.ok() && errors.message[0] == '\0') return sink.image.status();
    return CorruptJpeg(errors);
  }
  return std::move(sink.image);
}

Result<JpegRegion> DecodeJpegRegion(const uint8_t* data, size_t size, JpegCropPlanner* planner) {
  ErrorManager errors;
  PixelSink sink;
  DecodedPart part{};
  if (!DecodeInto(data, size, &errors, &sink, planner, &part)) {
    if (!sink.image.ok() && errors.message[0] == '\0') return sink.image.status();
    return CorruptJpeg(errors);
  }
  ASSIGN_OR_RETURN(TensorPtr pixels, std::move(sink.image));
  return JpegRegion{std::move(pixels), part.x0, part.y0, part.x1, part.y1};
}

}  // namespace headrace::transforms
