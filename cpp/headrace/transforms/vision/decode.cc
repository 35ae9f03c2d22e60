#include "headrace/transforms/vision/decode.h"

#include "headrace/transforms/vision/image_codecs.h"

namespace headrace::transforms {

Status Decode::Compute(engine::TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Decode: expected one column (the encoded image), got " +
                                   std::to_string(columns->size()));
  }
  const TensorPtr& encoded = columns->front();
  if (encoded->dtype() != DataType::kUInt8 || encoded->rank() != 1) {
    return Status::InvalidArgument("Decode: expected the encoded image as a 1-D uint8 array, got " +
                                   std::string(DataTypeName(encoded->dtype())) + " of shape " +
                                   ShapeToString(encoded->shape()));
  }
  const auto* data = encoded->data_as<uint8_t>();
  const auto size = static_cast<size_t>(encoded->num_elements());
  // Bytes read from a file name it (FileListSource), so the user can find the bad image.
  const std::string& origin = encoded->buffer()->origin();
  const std::string in_file = origin.empty() ? "" : " in " + origin;
  const ImageFormat format = DetectImageFormat(data, size);
  if (format == ImageFormat::kUnknown) {
    return Status::InvalidArgument("Decode: the data" + in_file + " is neither JPEG nor PNG (" +
                                   std::to_string(size) + " bytes)");
  }
  Result<TensorPtr> image = format == ImageFormat::kJpeg ? DecodeJpeg(data, size)
                                                         : DecodePng(data, size);
  if (!image.ok()) {
    return Status(image.status().code(), "Decode: " + image.status().message() + in_file);
  }
  columns->front() = std::move(image).value();
  return Status::OK();
}

}  // namespace headrace::transforms
