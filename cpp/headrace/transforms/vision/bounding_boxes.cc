#include "headrace/transforms/vision/bounding_boxes.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace headrace::transforms::boxes {

namespace {

std::string Number(float value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// A copy of `boxes` with `update` applied to each row's first four values (x, y, w, h).
template <typename Update>
Result<TensorPtr> EachBox(const Tensor& boxes, Update update) {
  ASSIGN_OR_RETURN(TensorPtr out, CopyOf(boxes));
  const int64_t columns = boxes.shape()[1];
  auto* values = reinterpret_cast<float*>(out->mutable_data());
  for (int64_t i = 0; i < boxes.shape()[0]; ++i) update(values + i * columns);
  return out;
}

}  // namespace

Result<ImageAndBoxes> CheckColumns(std::string_view transform, const TensorList& columns) {
  const std::string name(transform);
  if (columns.size() != 2) {
    return Status::InvalidArgument(name + ": expected two columns (the image and its bounding boxes), got " +
                                   std::to_string(columns.size()));
  }
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, *columns[0]));
  const Tensor& boxes = *columns[1];
  if (boxes.dtype() != DataType::kFloat32 || boxes.shape().size() != 2 || boxes.shape()[1] < 4) {
    return Status::InvalidArgument(name + ": bounding boxes must be float32 of shape (N, C) with C >= 4 ([x, y, " +
                                   "width, height, ...] per box), got " + std::string(DataTypeName(boxes.dtype())) +
                                   " of shape " + ShapeToString(boxes.shape()));
  }
  const int64_t stride = boxes.shape()[1];
  const float* values = boxes.data_as<float>();
  for (int64_t i = 0; i < boxes.shape()[0]; ++i) {
    const float* box = values + i * stride;
    if (!(box[0] + box[2] <= static_cast<float>(layout.width)) ||
        !(box[1] + box[3] <= static_cast<float>(layout.height))) {
      return Status::InvalidArgument(name + ": bounding box " + std::to_string(i) + " [" + Number(box[0]) + ", " +
                                     Number(box[1]) + ", " + Number(box[2]) + ", " + Number(box[3]) +
                                     "] reaches past the image of width " + std::to_string(layout.width) +
                                     " and height " + std::to_string(layout.height));
    }
    // MindSpore's int(x) < 0, compared in float (the cast is undefined far outside int's
    // range); NaN is refused too.
    if (!(box[0] > -1.0f) || !(box[1] > -1.0f)) {
      return Status::InvalidArgument(name + ": bounding box " + std::to_string(i) +
                                     " has a negative coordinate: (" + Number(box[0]) + ", " + Number(box[1]) + ")");
    }
  }
  return ImageAndBoxes{columns[0], layout, columns[1]};
}

Result<TensorPtr> Scaled(const Tensor& boxes, int64_t in_height, int64_t in_width, int64_t out_height,
                         int64_t out_width) {
  const auto x_scale = static_cast<float>(static_cast<double>(out_width) / static_cast<double>(in_width));
  const auto y_scale = static_cast<float>(static_cast<double>(out_height) / static_cast<double>(in_height));
  return EachBox(boxes, [&](float* box) {
    box[0] *= x_scale;
    box[1] *= y_scale;
    box[2] *= x_scale;
    box[3] *= y_scale;
  });
}

Result<TensorPtr> FlippedHorizontally(const Tensor& boxes, int64_t width) {
  return EachBox(boxes, [&](float* box) { box[0] = static_cast<float>(width) - (box[0] + box[2]); });
}

Result<TensorPtr> FlippedVertically(const Tensor& boxes, int64_t height) {
  return EachBox(boxes, [&](float* box) { box[1] = static_cast<float>(height) - (box[1] + box[3]); });
}

Result<TensorPtr> Shifted(const Tensor& boxes, int64_t dx, int64_t dy) {
  return EachBox(boxes, [&](float* box) {
    box[0] += static_cast<float>(dx);
    box[1] += static_cast<float>(dy);
  });
}

Result<TensorPtr> Cropped(const Tensor& boxes, const CropWindow& window) {
  const auto x_min = static_cast<float>(window.left);
  const auto y_min = static_cast<float>(window.top);
  const auto x_max = static_cast<float>(window.left + window.width);
  const auto y_max = static_cast<float>(window.top + window.height);
  const int64_t stride = boxes.shape()[1];
  const float* in = boxes.data_as<float>();
  std::vector<float> kept;
  for (int64_t i = 0; i < boxes.shape()[0]; ++i) {
    const float* box = in + i * stride;
    const float right = box[0] + box[2];
    const float bottom = box[1] + box[3];
    // Touching the window's edge counts as overlapping, as in MindSpore.
    if (box[0] > x_max || box[1] > y_max || right < x_min || bottom < y_min) continue;
    const float left = std::max(box[0] - std::min(0.0f, box[0] - x_min) - x_min, 0.0f);
    const float top = std::max(box[1] - std::min(0.0f, box[1] - y_min) - y_min, 0.0f);
    const float new_right = std::min(right - std::max(0.0f, right - x_max) - x_min, x_max - x_min);
    const float new_bottom = std::min(bottom - std::max(0.0f, bottom - y_max) - y_min, y_max - y_min);
    const size_t at = kept.size();
    kept.insert(kept.end(), box, box + stride);
    kept[at] = left;
    kept[at + 1] = top;
    kept[at + 2] = new_right - left;
    kept[at + 3] = new_bottom - top;
  }
  const auto rows = static_cast<int64_t>(kept.size()) / stride;
  ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(DataType::kFloat32, {rows, stride}));
  if (!kept.empty()) std::memcpy(out->mutable_data(), kept.data(), kept.size() * sizeof(float));
  return out;
}

}  // namespace headrace::transforms::boxes
