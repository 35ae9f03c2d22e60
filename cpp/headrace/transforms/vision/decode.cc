#include "headrace/transforms/vision/decode.h"

namespace headrace::transforms {

Result<EncodedImage> ReadEncodedImage(const TensorList& columns) {
  if (columns.size() != 1) {
    return Status::InvalidArgument("Decode: expected one column (the encoded image), got " +
                                   std::to_string(columns.size()));
  }
  const TensorPtr& encoded = columns.front();
  if (encoded->dtype() != DataType::kUInt8 || encoded->rank() != 1) {
    return Status::InvalidArgument("Decode: expected the encoded image as a 1-D uint8 array, got " +
                                   std::string(DataTypeName(encoded->dtype())) + " of shape " +
                                   ShapeToString(encoded->shape()));
  }
  EncodedImage image{encoded->data_as<uint8_t>(), static_cast<size_t>(encoded->num_elements()),
                     ImageFormat::kUnknown, ""};
  // Bytes read from a file name it (FileListSource), so the user can find the bad image.
  const std::string& origin = encoded->buffer()->origin();
  if (!origin.empty()) image.in_file = " in " + origin;
  image.format = DetectImageFormat(image.data, image.size);
  if (image.format == ImageFormat::kUnknown) {
    return Status::InvalidArgument("Decode: the data" + image.in_file + " is neither JPEG nor PNG (" +
                                   std::to_string(image.size) + " bytes)");
  }
  return image;
}

Status DecodeError(const Status& status, const EncodedImage& encoded) {
  return Status(status.code(), "Decode: " + status.message() + encoded.in_file);
}

Status Decode::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(EncodedImage encoded, ReadEncodedImage(*columns));
  Result<TensorPtr> image = encoded.format == ImageFormat::kJpeg ? DecodeJpeg(encoded.data, encoded.size)
                                                                 : DecodePng(encoded.data, encoded.size);
  if (!image.ok()) return DecodeError(image.status(), encoded);
  columns->front() = std::move(image).value();
  return Status::OK();
}

}  // namespace headrace::transforms
