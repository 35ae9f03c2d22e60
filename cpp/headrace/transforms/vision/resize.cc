#include "headrace/transforms/vision/resize.h"

#include <algorithm>

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
  // int(size * longer / shorter) in Python: the integer quotient (all values positive),
  // at least 1 for extreme ratios.
  if (in_height <= in_width) return {size, std::max<int64_t>(1, size * in_width / in_height)};
  return {std::max<int64_t>(1, size * in_height / in_width), size};
}

Status Resize::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("Resize", *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("Resize", *image, {DataType::kUInt8, DataType::kFloat32}));
  const auto [out_height, out_width] = OutputSize(layout.height, layout.width);
  const SourceBox whole{0.0, 0.0, static_cast<double>(layout.width), static_cast<double>(layout.height)};
  Result<TensorPtr> resized = ResizeRegion(*image, layout, whole, out_height, out_width, interpolation_);
  if (!resized.ok()) return resized.status().WithContext("Resize");
  columns->front() = std::move(resized).value();
  return Status::OK();
}

}  // namespace headrace::transforms
