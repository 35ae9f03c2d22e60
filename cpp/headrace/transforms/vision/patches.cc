#include "headrace/transforms/vision/patches.h"

#include <cmath>

#include "headrace/transforms/vision/flip.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

std::string Size(int64_t height, int64_t width) {
  return "(" + std::to_string(height) + ", " + std::to_string(width) + ")";
}

// The five crops of FiveCrop, appended to `out` in MindSpore's order.
Status AppendFiveCrops(const Tensor& image, const ImageLayout& layout, int64_t height, int64_t width,
                       TensorList* out) {
  const int64_t bottom = layout.height - height;
  const int64_t right = layout.width - width;
  // Python's round((H - h) / 2): ties go to the even offset.
  const auto centre_top = static_cast<int64_t>(std::nearbyint(static_cast<double>(bottom) / 2.0));
  const auto centre_left = static_cast<int64_t>(std::nearbyint(static_cast<double>(right) / 2.0));
  const int64_t corners[5][2] = {{0, 0}, {0, right}, {bottom, 0}, {bottom, right}, {centre_top, centre_left}};
  for (const auto& corner : corners) {
    ASSIGN_OR_RETURN(TensorPtr crop,
                     ExtractWindow(image, layout, corner[0], corner[1], height, width, BorderMode::kConstant, {}));
    out->push_back(std::move(crop));
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<TenCrop>> TenCrop::Make(int64_t height, int64_t width, bool with_flips,
                                               bool use_vertical_flip) {
  if (height < 1 || width < 1) {
    return Status::InvalidArgument(std::string(with_flips ? "TenCrop" : "FiveCrop") +
                                   ": size must be positive, got " + Size(height, width));
  }
  return std::make_shared<TenCrop>(height, width, with_flips, use_vertical_flip);
}

Status TenCrop::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name(), *image));
  if (height_ > layout.height || width_ > layout.width) {
    return Status::InvalidArgument(name() + ": crop size " + Size(height_, width_) +
                                   " is larger than the image size " + Size(layout.height, layout.width));
  }
  TensorList out;
  RETURN_IF_ERROR(AppendFiveCrops(*image, layout, height_, width_, &out));
  if (with_flips_) {
    ASSIGN_OR_RETURN(TensorPtr flipped,
                     use_vertical_flip_ ? FlipVertical(*image, layout) : FlipHorizontal(*image, layout));
    RETURN_IF_ERROR(AppendFiveCrops(*flipped, layout, height_, width_, &out));
  }
  *columns = std::move(out);
  return Status::OK();
}

Result<std::shared_ptr<SlicePatches>> SlicePatches::Make(int64_t num_height, int64_t num_width, SliceMode mode,
                                                         int fill_value) {
  if (num_height < 1) {
    return Status::InvalidArgument("SlicePatches: num_height must be >= 1, got " + std::to_string(num_height));
  }
  if (num_width < 1) {
    return Status::InvalidArgument("SlicePatches: num_width must be >= 1, got " + std::to_string(num_width));
  }
  if (fill_value < 0 || fill_value > 255) {
    return Status::InvalidArgument("SlicePatches: fill_value must be in [0, 255], got " + std::to_string(fill_value));
  }
  return std::make_shared<SlicePatches>(num_height, num_width, mode, fill_value);
}

Status SlicePatches::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name(), *image));
  if (num_height_ == 1 && num_width_ == 1) return Status::OK();  // MindSpore returns the image itself
  if (num_height_ > layout.height) {
    return Status::InvalidArgument("SlicePatches: num_height " + std::to_string(num_height_) +
                                   " is greater than the image height " + std::to_string(layout.height));
  }
  if (num_width_ > layout.width) {
    return Status::InvalidArgument("SlicePatches: num_width " + std::to_string(num_width_) +
                                   " is greater than the image width " + std::to_string(layout.width));
  }
  const bool pad = mode_ == SliceMode::kPad;
  const int64_t patch_height = layout.height / num_height_ + (pad && layout.height % num_height_ != 0 ? 1 : 0);
  const int64_t patch_width = layout.width / num_width_ + (pad && layout.width % num_width_ != 0 ? 1 : 0);
  const std::vector<uint8_t> fill = {static_cast<uint8_t>(fill_value_)};
  TensorList out;
  for (int64_t i = 0; i < num_height_; ++i) {
    for (int64_t j = 0; j < num_width_; ++j) {
      // Past the bottom and right edges (PAD only) the window is fill_value.
      ASSIGN_OR_RETURN(TensorPtr patch, ExtractWindow(*image, layout, i * patch_height, j * patch_width,
                                                      patch_height, patch_width, BorderMode::kConstant, fill));
      out.push_back(std::move(patch));
    }
  }
  *columns = std::move(out);
  return Status::OK();
}

Result<std::shared_ptr<PadToSize>> PadToSize::Make(int64_t height, int64_t width,
                                                   std::optional<std::pair<int64_t, int64_t>> offset,
                                                   std::vector<uint8_t> fill, BorderMode mode) {
  if (height < 1 || width < 1) {
    return Status::InvalidArgument("PadToSize: size must be positive, got " + Size(height, width));
  }
  if (offset && (offset->first < 0 || offset->second < 0)) {
    return Status::InvalidArgument("PadToSize: offset must be non-negative, got " +
                                   Size(offset->first, offset->second));
  }
  if (fill.size() != 1 && fill.size() != 3) {
    return Status::InvalidArgument("PadToSize: fill_value must be one value or three, got " +
                                   std::to_string(fill.size()));
  }
  return std::make_shared<PadToSize>(height, width, offset, std::move(fill), mode);
}

Status PadToSize::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name(), *image, {}, {1, 3}));
  if (layout.height > height_ || layout.width > width_) {
    return Status::InvalidArgument("PadToSize: the target size " + Size(height_, width_) +
                                   " is smaller than the image size " + Size(layout.height, layout.width));
  }
  Padding padding;
  // MindSpore's default: half the extra on the top and left, rounded down.
  padding.top = offset_ ? offset_->first : (height_ - layout.height) / 2;
  padding.left = offset_ ? offset_->second : (width_ - layout.width) / 2;
  padding.bottom = height_ - layout.height - padding.top;
  padding.right = width_ - layout.width - padding.left;
  if (padding.bottom < 0 || padding.right < 0) {
    return Status::InvalidArgument("PadToSize: the offset " + Size(padding.top, padding.left) +
                                   " plus the image size " + Size(layout.height, layout.width) +
                                   " is larger than the target size " + Size(height_, width_));
  }
  // One fill per channel for a 3-channel image; a grey one takes the first (OpenCV's
  // scalar fills channel c with its c-th value).
  std::vector<uint8_t> fill = fill_;
  if (layout.channels == 1) fill.resize(1);
  ASSIGN_OR_RETURN(columns->front(), PadImage(*image, layout, padding, mode_, fill));
  return Status::OK();
}

}  // namespace headrace::transforms
