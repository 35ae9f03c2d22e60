#include "headrace/transforms/vision/erase.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "headrace/core/cast.h"
#include "headrace/transforms/vision/as_dtype.h"
#include "headrace/transforms/vision/draws.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

// A rank-3 image seen as channels x rows x columns, in either layout.
struct Planes {
  int64_t channels, height, width;
  bool hwc;

  size_t Offset(int64_t c, int64_t y, int64_t x) const {
    return static_cast<size_t>(hwc ? (y * width + x) * channels + c : (c * height + y) * width + x);
  }
};

Result<Planes> RankThreeImage(std::string_view transform, const Tensor& image, bool hwc) {
  const Shape& s = image.shape();
  if (!IsFixedWidth(image.dtype()) || image.rank() != 3 || s[0] <= 0 || s[1] <= 0 || s[2] <= 0) {
    return Status::InvalidArgument(std::string(transform) + ": expected an image of shape " +
                                   (hwc ? "(H, W, C)" : "(C, H, W)") + " of a numeric dtype, got " +
                                   std::string(DataTypeName(image.dtype())) + " of shape " + ShapeToString(s));
  }
  return hwc ? Planes{s[2], s[0], s[1], true} : Planes{s[0], s[1], s[2], false};
}

// `values` converted to `dtype` as NumPy's astype converts them.
Result<TensorPtr> ValuesAs(DataType dtype, const std::vector<double>& values) {
  ASSIGN_OR_RETURN(TensorPtr doubles, Tensor::Create(DataType::kFloat64, {static_cast<int64_t>(values.size())}));
  std::memcpy(doubles->mutable_data(), values.data(), values.size() * sizeof(double));
  return CastTensor(doubles, dtype);
}

// One fill element per channel: `value` (one number for all, or one per channel).
std::vector<double> PerChannel(const std::vector<double>& value, int64_t channels) {
  if (value.size() == 1) return std::vector<double>(static_cast<size_t>(channels), value[0]);
  return value;
}

// Sets the box [top, top + height) x [left, left + width) of `image` (inside it) from
// `fill`: one element per channel, or, `per_pixel`, channels x height x width elements in
// CHW order. `fill` has the image's dtype.
void FillBox(Tensor* image, const Planes& p, const ErasingBox& box, const Tensor& fill, bool per_pixel) {
  const auto size = static_cast<size_t>(ElementSize(image->dtype()));
  uint8_t* out = image->mutable_data();
  const uint8_t* in = fill.data();
  for (int64_t c = 0; c < p.channels; ++c) {
    for (int64_t y = box.top; y < box.top + box.height; ++y) {
      for (int64_t x = box.left; x < box.left + box.width; ++x) {
        const auto source = static_cast<size_t>(
            per_pixel ? (c * box.height + (y - box.top)) * box.width + (x - box.left) : c);
        std::memcpy(out + p.Offset(c, y, x) * size, in + source * size, size);
      }
    }
  }
}

// `box` cut to the image (it may start before it or reach past it).
ErasingBox Clip(ErasingBox box, const Planes& p) {
  const int64_t bottom = std::min(box.top + box.height, p.height);
  const int64_t right = std::min(box.left + box.width, p.width);
  box.top = std::max<int64_t>(box.top, 0);
  box.left = std::max<int64_t>(box.left, 0);
  box.height = std::max<int64_t>(bottom - box.top, 0);
  box.width = std::max<int64_t>(right - box.left, 0);
  return box;
}

Status CheckFillValue(std::string_view transform, const std::vector<double>& value) {
  if (value.size() != 1 && value.size() != 3) {
    return Status::InvalidArgument(std::string(transform) + ": value must be one number or three, got " +
                                   std::to_string(value.size()));
  }
  for (double v : value) {
    if (!(v >= 0.0 && v <= 255.0)) {
      return Status::InvalidArgument(std::string(transform) + ": value must be in [0, 255], got " +
                                     std::to_string(v));
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<CutOut>> CutOut::Make(int64_t length, int64_t num_patches, bool is_hwc) {
  if (length < 1) return Status::InvalidArgument("CutOut: length must be >= 1, got " + std::to_string(length));
  if (num_patches < 1) {
    return Status::InvalidArgument("CutOut: num_patches must be >= 1, got " + std::to_string(num_patches));
  }
  return std::make_shared<CutOut>(length, num_patches, is_hwc);
}

Status CutOut::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(Planes p, RankThreeImage(name(), *image, is_hwc_));
  if (length_ > p.height || length_ > p.width) {
    return Status::InvalidArgument("CutOut: length " + std::to_string(length_) + " is larger than the image (" +
                                   std::to_string(p.height) + " x " + std::to_string(p.width) + ")");
  }
  ASSIGN_OR_RETURN(TensorPtr out, AsDType(*image, image->dtype()));
  ASSIGN_OR_RETURN(TensorPtr zeros, ValuesAs(image->dtype(), std::vector<double>(p.channels, 0.0)));
  Random random(seed);
  for (int64_t i = 0; i < num_patches_; ++i) {
    // The corner ranges over [-length, H] x [-length, W]: patches may hang over the border.
    ErasingBox box;
    box.top = random.UniformInt(0, p.height + length_) - length_;
    box.left = random.UniformInt(0, p.width + length_) - length_;
    box.height = box.width = length_;
    FillBox(out.get(), p, Clip(box, p), *zeros, false);
  }
  columns->front() = std::move(out);
  return Status::OK();
}

Result<std::shared_ptr<Erase>> Erase::Make(int64_t top, int64_t left, int64_t height, int64_t width,
                                           std::vector<double> value) {
  if (top < 0) return Status::InvalidArgument("Erase: top must be >= 0, got " + std::to_string(top));
  if (left < 0) return Status::InvalidArgument("Erase: left must be >= 0, got " + std::to_string(left));
  if (height < 1) return Status::InvalidArgument("Erase: height must be >= 1, got " + std::to_string(height));
  if (width < 1) return Status::InvalidArgument("Erase: width must be >= 1, got " + std::to_string(width));
  RETURN_IF_ERROR(CheckFillValue("Erase", value));
  return std::make_shared<Erase>(top, left, height, width, std::move(value));
}

Status Erase::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(Planes p, RankThreeImage(name(), *image, true));
  if (p.channels != 3) {
    return Status::InvalidArgument("Erase: expected an image of shape (H, W, 3), got shape " +
                                   ShapeToString(image->shape()));
  }
  // As MindSpore: a box taller or wider than the image is an error even where clipping
  // would do, and so is a corner outside the image.
  if (height_ > p.height || width_ > p.width || top_ > p.height || left_ > p.width) {
    return Status::InvalidArgument("Erase: the box (top " + std::to_string(top_) + ", left " + std::to_string(left_) +
                                   ", height " + std::to_string(height_) + ", width " + std::to_string(width_) +
                                   ") does not fit the image (" + std::to_string(p.height) + " x " +
                                   std::to_string(p.width) + ")");
  }
  std::vector<double> fill = PerChannel(value_, p.channels);
  const DataType dtype = image->dtype();
  if (dtype != DataType::kFloat16 && dtype != DataType::kFloat32 && dtype != DataType::kFloat64) {
    for (double& v : fill) v = std::nearbyint(v);  // OpenCV's saturate_cast rounds to nearest
  }
  ASSIGN_OR_RETURN(TensorPtr out, AsDType(*image, dtype));
  ASSIGN_OR_RETURN(TensorPtr values, ValuesAs(dtype, fill));
  FillBox(out.get(), p, Clip(ErasingBox{top_, left_, height_, width_}, p), *values, false);
  columns->front() = std::move(out);
  return Status::OK();
}

Result<std::shared_ptr<RandomErasing>> RandomErasing::Make(RandomErasingParams params) {
  const auto range = [](const char* argument, double low, double high) {
    return Status::InvalidArgument(std::string("RandomErasing: ") + argument +
                                   " must be (min, max) with 0 <= min <= max, got (" + std::to_string(low) + ", " +
                                   std::to_string(high) + ")");
  };
  if (!(params.prob >= 0.0 && params.prob <= 1.0)) {
    return Status::InvalidArgument("RandomErasing: prob must be in [0, 1], got " + std::to_string(params.prob));
  }
  if (!(params.scale_min >= 0.0 && params.scale_min <= params.scale_max && params.scale_max > 0.0) ||
      !std::isfinite(params.scale_max)) {
    return range("scale", params.scale_min, params.scale_max);
  }
  if (!(params.ratio_min > 0.0 && params.ratio_min <= params.ratio_max) || !std::isfinite(params.ratio_max)) {
    return range("ratio", params.ratio_min, params.ratio_max);
  }
  if (!params.random_value) RETURN_IF_ERROR(CheckFillValue("RandomErasing", params.value));
  if (params.max_attempts < 1) {
    return Status::InvalidArgument("RandomErasing: max_attempts must be >= 1, got " +
                                   std::to_string(params.max_attempts));
  }
  return std::make_shared<RandomErasing>(std::move(params));
}

ErasingBox RandomErasing::ChooseBox(Random& random, int64_t height, int64_t width) const {
  const double area = static_cast<double>(height * width);
  for (int64_t attempt = 0; attempt < params_.max_attempts; ++attempt) {
    const double erase_area = random.Uniform(params_.scale_min, params_.scale_max) * area;
    const double aspect_ratio = random.Uniform(params_.ratio_min, params_.ratio_max);
    // Python's round: to nearest, ties to even (nearbyint's default mode).
    const auto box_width = static_cast<int64_t>(std::nearbyint(std::sqrt(erase_area * aspect_ratio)));
    const auto box_height = static_cast<int64_t>(std::nearbyint(static_cast<double>(box_width) / aspect_ratio));
    if (box_height < height && box_width < width) {
      ErasingBox box;
      box.top = random.UniformInt(0, height - box_height);
      box.left = random.UniformInt(0, width - box_width);
      box.height = box_height;
      box.width = box_width;
      return box;
    }
  }
  return ErasingBox{};
}

Status RandomErasing::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(Planes p, RankThreeImage(name(), *image, false));
  if (!params_.random_value && params_.value.size() == 3 && p.channels != 3) {
    return Status::InvalidArgument("RandomErasing: three values need an image of 3 channels, got shape " +
                                   ShapeToString(image->shape()));
  }
  Random random(seed);
  if (!random.Bernoulli(params_.prob)) return Status::OK();
  const ErasingBox box = ChooseBox(random, p.height, p.width);
  if (box.height == 0 || box.width == 0) return Status::OK();
  std::vector<double> fill;
  if (params_.random_value) {
    fill.resize(static_cast<size_t>(p.channels * box.height * box.width));
    for (double& v : fill) v = StandardNormal(random);
  } else {
    fill = PerChannel(params_.value, p.channels);
  }
  ASSIGN_OR_RETURN(TensorPtr out, AsDType(*image, image->dtype()));
  ASSIGN_OR_RETURN(TensorPtr values, ValuesAs(image->dtype(), fill));
  FillBox(out.get(), p, box, *values, params_.random_value);
  columns->front() = std::move(out);
  return Status::OK();
}

}  // namespace headrace::transforms
