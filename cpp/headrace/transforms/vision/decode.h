// Decode: an encoded image (a 1-D uint8 tensor holding a JPEG or PNG file) to HWC uint8
// RGB pixels, as mindspore.dataset.vision.Decode. Errors name the transform and say what
// is wrong: not a 1-D uint8 input, an unknown format, corrupt or truncated data; bytes
// read from a file (FileListSource) name the file too.
// Thread-safe (stateless).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image_codecs.h"

namespace headrace::transforms {

// The checked input of a decoding transform.
struct EncodedImage {
  const uint8_t* data;
  size_t size;
  ImageFormat format;  // never kUnknown
  std::string in_file;  // " in /path/file.jpg" when the bytes came from a file, else ""
};

// The one column of `columns` as an encoded image; InvalidArgument prefixed "Decode: ".
// The view is valid while the column's tensor lives.
Result<EncodedImage> ReadEncodedImage(const TensorList& columns);

// Errors of the codecs as Decode reports them: "Decode: <what> in <file>".
Status DecodeError(const Status& status, const EncodedImage& encoded);

class Decode : public transforms::TensorOp {
 public:
  std::string name() const override { return "Decode"; }
  Status Compute(TensorList* columns, uint64_t seed) override;
};

}  // namespace headrace::transforms
