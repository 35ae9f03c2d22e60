#include "headrace/transforms/vision/bounding_box_augment.h"

#include <algorithm>
#include <cstring>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/bounding_boxes.h"
#include "headrace/transforms/vision/pad.h"
#include "headrace/transforms/vision/resize.h"

namespace headrace::transforms {

namespace {

// `patch` (region.height x region.width, same dtype and channels) written over `image`'s region.
void Paste(const Tensor& patch, const CropWindow& region, const ImageLayout& layout, Tensor* image) {
  const int64_t pixel_bytes = layout.channels * ElementSize(image->dtype());
  const int64_t row_bytes = region.width * pixel_bytes;
  for (int64_t y = 0; y < region.height; ++y) {
    std::memcpy(image->mutable_data() + ((region.top + y) * layout.width + region.left) * pixel_bytes,
                patch.data() + y * row_bytes, static_cast<size_t>(row_bytes));
  }
}

}  // namespace

Result<std::shared_ptr<BoundingBoxAugment>> BoundingBoxAugment::Make(std::shared_ptr<TensorOp> transform,
                                                                     double ratio) {
  if (transform == nullptr) return Status::InvalidArgument("BoundingBoxAugment: transform must be a transform");
  if (!(ratio >= 0.0 && ratio <= 1.0)) {
    return Status::InvalidArgument("BoundingBoxAugment: ratio must be in [0, 1], got " + std::to_string(ratio));
  }
  return std::make_shared<BoundingBoxAugment>(std::move(transform), ratio);
}

Status BoundingBoxAugment::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(boxes::ImageAndBoxes in, boxes::CheckColumns(name(), *columns));
  Random random(seed);
  const int64_t count = in.boxes->shape()[0];
  const int64_t stride = in.boxes->shape()[1];
  const float* values = in.boxes->data_as<float>();
  TensorPtr output;  // a copy of the image, made at the first box that changes it
  for (int64_t i = 0; i < count; ++i) {
    if (!random.Bernoulli(ratio_)) continue;
    const float* box = values + i * stride;
    // The corner and size truncated to whole pixels, as MindSpore; clamped into the image
    // first (a negative or NaN size is no region), since the cast is undefined beyond int64.
    auto whole = [](float v, int64_t limit) {
      return static_cast<int64_t>(std::clamp(v >= 0.0f ? v : 0.0f, 0.0f, static_cast<float>(limit)));
    };
    const CropWindow region{whole(box[1], in.layout.height), whole(box[0], in.layout.width),
                            whole(box[3], in.layout.height), whole(box[2], in.layout.width)};
    if (region.height <= 0 || region.width <= 0) continue;  // no whole pixel to transform
    if (!output) {
      ASSIGN_OR_RETURN(output, CopyOf(*in.image));
    }
    ASSIGN_OR_RETURN(TensorPtr patch, ExtractWindow(*output, in.layout, region.top, region.left, region.height,
                                                    region.width, BorderMode::kConstant, {}));
    TensorList patch_columns = {patch};
    RETURN_IF_ERROR(transform_->Compute(&patch_columns, MixSeed(seed, static_cast<uint64_t>(i))).WithContext(name()));
    if (patch_columns.size() != 1) {
      return Status::InvalidArgument("BoundingBoxAugment: the transform " + transform_->name() +
                                     " must give one image, gave " + std::to_string(patch_columns.size()) +
                                     " columns");
    }
    TensorPtr result = patch_columns.front();
    const Shape region_shape = in.layout.WithSize(region.height, region.width);
    if (result->shape() != region_shape && result->shape().size() == region_shape.size() &&
        (region_shape.size() == 2 || result->shape()[2] == region_shape[2])) {
      ASSIGN_OR_RETURN(std::shared_ptr<Resize> resize, Resize::ToSize(region.height, region.width,
                                                                      Interpolation::kLinear));
      RETURN_IF_ERROR(resize->ResizeColumn(name(), &patch_columns));
      result = patch_columns.front();
    }
    if (result->shape() != region_shape || result->dtype() != in.image->dtype()) {
      return Status::InvalidArgument("BoundingBoxAugment: the transform " + transform_->name() +
                                     " must keep the image's dtype and channels, gave " +
                                     std::string(DataTypeName(result->dtype())) + " of shape " +
                                     ShapeToString(result->shape()) + " for a region of shape " +
                                     ShapeToString(region_shape));
    }
    Paste(*result, region, in.layout, output.get());
  }
  if (output) columns->front() = output;
  return Status::OK();
}

}  // namespace headrace::transforms
