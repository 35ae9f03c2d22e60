#include "headrace/transforms/vision/with_bbox.h"

#include "headrace/transforms/vision/bounding_boxes.h"
#include "headrace/transforms/vision/flip.h"

namespace headrace::transforms {

Status ResizeWithBBox::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(boxes::ImageAndBoxes in, boxes::CheckColumns(name_, *columns));
  TensorList image = {in.image};
  Status resized = resize_->Compute(&image, seed);
  if (!resized.ok()) {
    // The wrapped transform names itself; the error names this one.
    std::string message = resized.message();
    const std::string prefix = resize_->name() + ": ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    return Status(resized.code(), name_ + ": " + message);
  }
  const Shape& out = image.front()->shape();
  ASSIGN_OR_RETURN(TensorPtr moved, boxes::Scaled(*in.boxes, in.layout.height, in.layout.width, out[0], out[1]));
  *columns = {image.front(), moved};
  return Status::OK();
}

Result<std::shared_ptr<RandomFlipWithBBox>> RandomFlipWithBBox::Make(double prob, bool horizontal) {
  if (!(prob >= 0.0 && prob <= 1.0)) {
    return Status::InvalidArgument(RandomFlipWithBBox(0.0, horizontal).name() + ": prob must be in [0, 1], got " +
                                   std::to_string(prob));
  }
  return std::make_shared<RandomFlipWithBBox>(prob, horizontal);
}

Status RandomFlipWithBBox::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(boxes::ImageAndBoxes in, boxes::CheckColumns(name(), *columns));
  if (!FlipDrawn(seed, prob_)) return Status::OK();  // both columns stay as they are
  if (horizontal_) {
    ASSIGN_OR_RETURN(TensorPtr image, FlipHorizontal(*in.image, in.layout));
    ASSIGN_OR_RETURN(TensorPtr moved, boxes::FlippedHorizontally(*in.boxes, in.layout.width));
    *columns = {image, moved};
  } else {
    ASSIGN_OR_RETURN(TensorPtr image, FlipVertical(*in.image, in.layout));
    ASSIGN_OR_RETURN(TensorPtr moved, boxes::FlippedVertically(*in.boxes, in.layout.height));
    *columns = {image, moved};
  }
  return Status::OK();
}

Status RandomCropWithBBox::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(boxes::ImageAndBoxes in, boxes::CheckColumns(name(), *columns));
  CropPlacement placement;
  ASSIGN_OR_RETURN(TensorPtr image, crop_->Apply(name(), in.image, seed, &placement));
  ASSIGN_OR_RETURN(TensorPtr padded, boxes::Shifted(*in.boxes, placement.pad_left, placement.pad_top));
  ASSIGN_OR_RETURN(TensorPtr moved, boxes::Cropped(*padded, placement.window));
  *columns = {image, moved};
  return Status::OK();
}

Status RandomResizedCropWithBBox::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(boxes::ImageAndBoxes in, boxes::CheckColumns(name(), *columns));
  CropWindow window{};
  ASSIGN_OR_RETURN(TensorPtr image, crop_->Apply(name(), *in.image, seed, &window));
  ASSIGN_OR_RETURN(TensorPtr clipped, boxes::Cropped(*in.boxes, window));
  ASSIGN_OR_RETURN(TensorPtr moved, boxes::Scaled(*clipped, window.height, window.width, crop_->params().height,
                                                  crop_->params().width));
  *columns = {image, moved};
  return Status::OK();
}

}  // namespace headrace::transforms
