#include "headrace/transforms/vision/crop.h"

#include <cmath>

namespace headrace::transforms {

namespace {

// Python's round(): half to even (nearbyint under the default rounding mode).
int64_t RoundHalfEven(double v) { return static_cast<int64_t>(std::nearbyint(v)); }

std::string WindowString(const CropWindow& w) {
  return "(top=" + std::to_string(w.top) + ", left=" + std::to_string(w.left) +
         ", height=" + std::to_string(w.height) + ", width=" + std::to_string(w.width) + ")";
}

Status CheckSize(std::string_view transform, int64_t height, int64_t width) {
  if (height > 0 && width > 0) return Status::OK();
  return Status::InvalidArgument(std::string(transform) + ": size must be positive, got (" +
                                 std::to_string(height) + ", " + std::to_string(width) + ")");
}

// Replaces the column with `result`, or names the transform in its error.
Status SetOutput(std::string_view transform, Result<TensorPtr> result, TensorList* columns) {
  if (!result.ok()) return result.status().WithContext(std::string(transform));
  columns->front() = std::move(result).value();
  return Status::OK();
}

}  // namespace

Result<TensorPtr> ResizeWindow(const Tensor& image, const ImageLayout& layout, const CropWindow& window,
                               int64_t height, int64_t width, Interpolation interpolation, bool crop_first) {
  if (crop_first && IsPillowInterpolation(interpolation)) {
    ASSIGN_OR_RETURN(TensorPtr crop, ExtractWindow(image, layout, window.top, window.left, window.height,
                                                   window.width, BorderMode::kConstant, {}));
    ImageLayout crop_layout = layout;
    crop_layout.height = window.height;
    crop_layout.width = window.width;
    const SourceBox whole{0.0, 0.0, static_cast<double>(window.width), static_cast<double>(window.height)};
    return ResizeRegion(*crop, crop_layout, whole, height, width, interpolation);
  }
  const SourceBox box{static_cast<double>(window.left), static_cast<double>(window.top),
                      static_cast<double>(window.left + window.width), static_cast<double>(window.top + window.height)};
  return ResizeRegion(image, layout, box, height, width, interpolation);
}

CropWindow ChooseRandomResizedCrop(Random& random, int64_t height, int64_t width,
                                   const RandomResizedCropParams& params) {
  const double area = static_cast<double>(height) * static_cast<double>(width);
  const double log_ratio_min = std::log(params.ratio_min);
  const double log_ratio_max = std::log(params.ratio_max);
  for (int64_t attempt = 0; attempt < params.max_attempts; ++attempt) {
    const double target_area = area * random.Uniform(params.scale_min, params.scale_max);
    const double aspect_ratio = std::exp(random.Uniform(log_ratio_min, log_ratio_max));
    const int64_t w = RoundHalfEven(std::sqrt(target_area * aspect_ratio));
    const int64_t h = RoundHalfEven(std::sqrt(target_area / aspect_ratio));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const int64_t top = random.UniformInt(0, height - h);
      const int64_t left = random.UniformInt(0, width - w);
      return CropWindow{top, left, h, w};
    }
  }
  // No draw fitted: the whole image, cut to the nearest allowed ratio, centred.
  const double in_ratio = static_cast<double>(width) / static_cast<double>(height);
  int64_t w = width;
  int64_t h = height;
  if (in_ratio < params.ratio_min) {
    h = std::max<int64_t>(1, RoundHalfEven(static_cast<double>(w) / params.ratio_min));
  } else if (in_ratio > params.ratio_max) {
    w = std::max<int64_t>(1, RoundHalfEven(static_cast<double>(h) * params.ratio_max));
  }
  return CropWindow{(height - h) / 2, (width - w) / 2, h, w};
}

Result<std::shared_ptr<Crop>> Crop::Make(CropWindow window) {
  if (window.top < 0 || window.left < 0) {
    return Status::InvalidArgument("Crop: coordinates must not be negative, got (" +
                                   std::to_string(window.top) + ", " + std::to_string(window.left) + ")");
  }
  RETURN_IF_ERROR(CheckSize("Crop", window.height, window.width));
  return std::make_shared<Crop>(window);
}

Status Crop::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("Crop", *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("Crop", *image));
  if (window_.top + window_.height > layout.height || window_.left + window_.width > layout.width) {
    return Status::InvalidArgument("Crop: the window " + WindowString(window_) +
                                   " does not fit in the image of shape " +
                                   ShapeToString(image->shape()));
  }
  return SetOutput("Crop", ExtractWindow(*image, layout, window_.top, window_.left, window_.height,
                                         window_.width, BorderMode::kConstant, {}), columns);
}

Result<std::shared_ptr<CenterCrop>> CenterCrop::Make(int64_t height, int64_t width, CenterOffsets offsets) {
  RETURN_IF_ERROR(CheckSize("CenterCrop", height, width));
  return std::make_shared<CenterCrop>(height, width, offsets);
}

Status CenterCrop::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("CenterCrop", *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("CenterCrop", *image));
  // The window's start along one side; negative where the side is zero-padded.
  auto offset = [this](int64_t size, int64_t crop) -> int64_t {
    if (offsets_ == CenterOffsets::kMindSpore) {
      return crop > size ? -((crop - size + 1) / 2) : (size - crop) / 2;
    }
    return crop > size ? -((crop - size) / 2) : RoundHalfEven((size - crop) / 2.0);
  };
  return SetOutput("CenterCrop", ExtractWindow(*image, layout, offset(layout.height, height_),
                                               offset(layout.width, width_), height_, width_,
                                               BorderMode::kConstant, {}), columns);
}

Result<std::shared_ptr<RandomCrop>> RandomCrop::Make(int64_t height, int64_t width, Padding padding,
                                                     bool pad_if_needed, std::vector<uint8_t> fill,
                                                     BorderMode mode) {
  RETURN_IF_ERROR(CheckSize("RandomCrop", height, width));
  if (padding.left < 0 || padding.top < 0 || padding.right < 0 || padding.bottom < 0) {
    return Status::InvalidArgument("RandomCrop: padding must not be negative");
  }
  return std::make_shared<RandomCrop>(height, width, padding, pad_if_needed, std::move(fill), mode);
}

Status RandomCrop::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("RandomCrop", *columns));
  CropPlacement placement;
  ASSIGN_OR_RETURN(columns->front(), Apply("RandomCrop", std::move(image), seed, &placement));
  return Status::OK();
}

Result<TensorPtr> RandomCrop::Apply(std::string_view transform, TensorPtr image, uint64_t seed,
                                    CropPlacement* placement) const {
  const std::string name(transform);
  *placement = CropPlacement{};
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, *image));
  const Shape input_shape = image->shape();
  // Each padding step pads the previous result, as torchvision does (it matters for the
  // mirroring modes).
  auto pad = [&](const Padding& padding) -> Status {
    Result<TensorPtr> padded = PadImage(*image, layout, padding, mode_, fill_);
    if (!padded.ok()) return padded.status().WithContext(name);
    image = std::move(padded).value();
    layout.height += padding.top + padding.bottom;
    layout.width += padding.left + padding.right;
    placement->pad_left += padding.left;
    placement->pad_top += padding.top;
    return Status::OK();
  };
  if (padding_.left + padding_.top + padding_.right + padding_.bottom > 0) RETURN_IF_ERROR(pad(padding_));
  if (pad_if_needed_ && layout.width < width_) {
    const int64_t extra = width_ - layout.width;
    RETURN_IF_ERROR(pad(Padding{extra, 0, extra, 0}));
  }
  if (pad_if_needed_ && layout.height < height_) {
    const int64_t extra = height_ - layout.height;
    RETURN_IF_ERROR(pad(Padding{0, extra, 0, extra}));
  }
  if (layout.height < height_ || layout.width < width_) {
    return Status::InvalidArgument(
        name + ": the crop size (" + std::to_string(height_) + ", " + std::to_string(width_) +
        ") is larger than the image of shape " + ShapeToString(input_shape) +
        (padding_.left + padding_.top + padding_.right + padding_.bottom > 0 ? " after padding" : "") +
        "; pass pad_if_needed=True to pad it");
  }
  Random random(seed);
  const int64_t top = random.UniformInt(0, layout.height - height_);
  const int64_t left = random.UniformInt(0, layout.width - width_);
  placement->window = CropWindow{top, left, height_, width_};
  Result<TensorPtr> cropped = ExtractWindow(*image, layout, top, left, height_, width_, BorderMode::kConstant, {});
  if (!cropped.ok()) return cropped.status().WithContext(name);
  return cropped;
}

Result<std::shared_ptr<ResizedCrop>> ResizedCrop::Make(CropWindow window, int64_t height, int64_t width,
                                                       Interpolation interpolation, bool crop_first) {
  if (window.top < 0 || window.left < 0) {
    return Status::InvalidArgument("ResizedCrop: top and left must not be negative, got (" +
                                   std::to_string(window.top) + ", " + std::to_string(window.left) + ")");
  }
  if (window.height <= 0 || window.width <= 0) {
    return Status::InvalidArgument("ResizedCrop: height and width must be positive, got (" +
                                   std::to_string(window.height) + ", " + std::to_string(window.width) + ")");
  }
  RETURN_IF_ERROR(CheckSize("ResizedCrop", height, width));
  return std::make_shared<ResizedCrop>(window, height, width, interpolation, crop_first);
}

Status ResizedCrop::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("ResizedCrop", *columns));
  const bool nearest = interpolation_ == Interpolation::kNearest || interpolation_ == Interpolation::kPillowNearest;
  ASSIGN_OR_RETURN(ImageLayout layout, nearest ? CheckImage("ResizedCrop", *image)
                                               : CheckImage("ResizedCrop", *image, {DataType::kUInt8, DataType::kFloat32}));
  if (window_.top + window_.height > layout.height || window_.left + window_.width > layout.width) {
    return Status::InvalidArgument("ResizedCrop: the window " + WindowString(window_) +
                                   " does not fit in the image of shape " + ShapeToString(image->shape()));
  }
  return SetOutput("ResizedCrop", ResizeWindow(*image, layout, window_, height_, width_, interpolation_, crop_first_),
                   columns);
}

Result<std::shared_ptr<RandomResizedCrop>> RandomResizedCrop::Make(const RandomResizedCropParams& p) {
  RETURN_IF_ERROR(CheckSize("RandomResizedCrop", p.height, p.width));
  if (!(p.scale_min >= 0.0 && p.scale_min <= p.scale_max && std::isfinite(p.scale_max))) {
    return Status::InvalidArgument("RandomResizedCrop: scale must be (min, max) with 0 <= min <= max, got (" +
                                   std::to_string(p.scale_min) + ", " + std::to_string(p.scale_max) + ")");
  }
  if (!(p.ratio_min > 0.0 && p.ratio_min <= p.ratio_max && std::isfinite(p.ratio_max))) {
    return Status::InvalidArgument("RandomResizedCrop: ratio must be (min, max) with 0 < min <= max, got (" +
                                   std::to_string(p.ratio_min) + ", " + std::to_string(p.ratio_max) + ")");
  }
  if (p.max_attempts < 1) {
    return Status::InvalidArgument("RandomResizedCrop: max_attempts must be at least 1, got " +
                                   std::to_string(p.max_attempts));
  }
  return std::make_shared<RandomResizedCrop>(p);
}

Status RandomResizedCrop::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("RandomResizedCrop", *columns));
  CropWindow window{};
  ASSIGN_OR_RETURN(columns->front(), Apply("RandomResizedCrop", *image, seed, &window));
  return Status::OK();
}

Result<TensorPtr> RandomResizedCrop::Apply(std::string_view transform, const Tensor& image, uint64_t seed,
                                           CropWindow* window) const {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, image, {DataType::kUInt8, DataType::kFloat32}));
  Random random(seed);
  *window = ChooseRandomResizedCrop(random, layout.height, layout.width, params_);
  Result<TensorPtr> resized = ResizeWindow(image, layout, *window, params_.height, params_.width,
                                           params_.interpolation, params_.crop_first);
  if (!resized.ok()) return resized.status().WithContext(std::string(transform));
  return resized;
}

}  // namespace headrace::transforms
