#include "headrace/transforms/vision/image.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace headrace::transforms {

namespace {

std::string Expected(std::initializer_list<DataType> dtypes,
                     std::initializer_list<int64_t> channels) {
  std::string out = "an image of shape (H, W) or (H, W, C)";
  if (channels.size() > 0) {
    out += " with ";
    size_t i = 0;
    for (int64_t c : channels) {
      out += (i == 0 ? "" : i + 1 == channels.size() ? " or " : ", ") + std::to_string(c);
      ++i;
    }
    out += " channels";
  }
  if (dtypes.size() > 0) {
    out += " of ";
    size_t i = 0;
    for (DataType dtype : dtypes) {
      out += (i == 0 ? "" : i + 1 == dtypes.size() ? " or " : ", ") + std::string(DataTypeName(dtype));
      ++i;
    }
  }
  return out;
}

}  // namespace

Shape ImageLayout::WithSize(int64_t new_height, int64_t new_width) const {
  if (!has_channel_axis) return Shape{new_height, new_width};
  return Shape{new_height, new_width, channels};
}

Result<TensorPtr> OneImageColumn(std::string_view transform, const TensorList& columns) {
  if (columns.size() != 1) {
    return Status::InvalidArgument(std::string(transform) + ": expected one column (the image), got " +
                                   std::to_string(columns.size()));
  }
  return columns.front();
}

Result<ImageLayout> CheckImage(std::string_view transform, const Tensor& image,
                               std::initializer_list<DataType> dtypes,
                               std::initializer_list<int64_t> channels) {
  const Shape& shape = image.shape();
  bool ok = IsFixedWidth(image.dtype()) && (image.rank() == 2 || image.rank() == 3);
  if (ok && dtypes.size() > 0) {
    ok = std::find(dtypes.begin(), dtypes.end(), image.dtype()) != dtypes.end();
  }
  ImageLayout layout{};
  if (ok) {
    layout = ImageLayout{shape[0], shape[1], image.rank() == 3 ? shape[2] : 1, image.rank() == 3};
    ok = layout.height > 0 && layout.width > 0 && layout.channels > 0;
  }
  if (ok && channels.size() > 0) {
    ok = std::find(channels.begin(), channels.end(), layout.channels) != channels.end();
  }
  if (!ok) {
    return Status::InvalidArgument(std::string(transform) + ": expected " + Expected(dtypes, channels) +
                                   ", got " + std::string(DataTypeName(image.dtype())) +
                                   " of shape " + ShapeToString(shape));
  }
  return layout;
}

Result<TensorPtr> CopyOf(const Tensor& tensor) {
  ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(tensor.dtype(), tensor.shape()));
  std::memcpy(out->mutable_data(), tensor.data(), static_cast<size_t>(tensor.nbytes()));
  return out;
}

}  // namespace headrace::transforms
