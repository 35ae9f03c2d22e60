#include "headrace/transforms/vision/resize.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "headrace/core/random.h"

namespace headrace::transforms {

namespace {

Status CheckPositive(int64_t height, int64_t width) {
  if (height > 0 && width > 0) return Status::OK();
  return Status::InvalidArgument("Resize: size must be positive, got (" + std::to_string(height) +
                                 ", " + std::to_string(width) + ")");
}

}  // namespace

Result<std::shared_ptr<Resize>> Resize::KeepAspect(int64_t shorter_side, Interpolation interpolation) {
  RETURN_IF_ERROR(CheckPositive(shorter_side, shorter_side));
  return std::make_shared<Resize>(shorter_side, shorter_side, /*keep_aspect=*/true, interpolation);
}

Result<std::shared_ptr<Resize>> Resize::ToSize(int64_t height, int64_t width, Interpolation interpolation) {
  RETURN_IF_ERROR(CheckPositive(height, width));
  return std::make_shared<Resize>(height, width, /*keep_aspect=*/false, interpolation);
}

std::pair<int64_t, int64_t> Resize::OutputSize(int64_t in_height, int64_t in_width) const {
  if (!keep_aspect_) return {height_, width_};
  const int64_t size = height_;
  // MindSpore's rule, in float as it computes it: floor(longer / shorter * size) (a square
  // image takes the second branch); at least 1 for extreme ratios.
  const auto longer = [size](int64_t longer_side, int64_t shorter_side) {
    const float ratio = static_cast<float>(longer_side) / static_cast<float>(shorter_side);
    return std::max<int64_t>(1, static_cast<int64_t>(std::floor(ratio * static_cast<float>(size))));
  };
  if (in_height < in_width) return {size, longer(in_width, in_height)};
  return {longer(in_height, in_width), size};
}

Status Resize::Compute(TensorList* columns, uint64_t /*seed*/) { return ResizeColumn("Resize", columns); }

Status Resize::ResizeColumn(std::string_view transform, TensorList* columns) const {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  // Nearest copies pixels of any dtype; the filters take uint8 and float32.
  const bool nearest = interpolation_ == Interpolation::kNearest || interpolation_ == Interpolation::kPillowNearest;
  ASSIGN_OR_RETURN(ImageLayout layout, nearest ? CheckImage(transform, *image)
                                               : CheckImage(transform, *image, {DataType::kUInt8, DataType::kFloat32}));
  const auto [out_height, out_width] = OutputSize(layout.height, layout.width);
  const SourceBox whole{0.0, 0.0, static_cast<double>(layout.width), static_cast<double>(layout.height)};
  Result<TensorPtr> resized = ResizeRegion(*image, layout, whole, out_height, out_width, interpolation_);
  if (!resized.ok()) return resized.status().WithContext(std::string(transform));
  columns->front() = std::move(resized).value();
  return Status::OK();
}

Result<std::shared_ptr<RandomResize>> RandomResize::Make(int64_t height, int64_t width, bool keep_aspect,
                                                         std::vector<Interpolation> interpolations) {
  if (height <= 0 || width <= 0) {
    return Status::InvalidArgument("RandomResize: size must be positive, got (" + std::to_string(height) + ", " +
                                   std::to_string(width) + ")");
  }
  if (interpolations.empty()) return Status::InvalidArgument("RandomResize: no interpolation to draw from");
  return std::make_shared<RandomResize>(height, width, keep_aspect, std::move(interpolations));
}

RandomResize::RandomResize(int64_t height, int64_t width, bool keep_aspect, std::vector<Interpolation> interpolations) {
  resizes_.reserve(interpolations.size());
  for (Interpolation interpolation : interpolations) resizes_.emplace_back(height, width, keep_aspect, interpolation);
}

Status RandomResize::Compute(TensorList* columns, uint64_t seed) {
  Random random(seed);
  const auto pick = random.UniformInt(0, static_cast<int64_t>(resizes_.size()) - 1);
  return resizes_[static_cast<size_t>(pick)].ResizeColumn("RandomResize", columns);
}

}  // namespace headrace::transforms
