#include "headrace/transforms/vision/perspective.h"

#include <string>
#include <utility>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace {

Status CheckInterpolation(const std::string& transform, Interpolation interpolation) {
  if (IsPillowInterpolation(interpolation)) {
    return Status::InvalidArgument(transform + ": interpolation must be one of OpenCV's (nearest, linear, cubic, "
                                   "area), got " + std::string(InterpolationName(interpolation)));
  }
  return Status::OK();
}

Status Warp(std::string_view transform, TensorList* columns, const PerspectiveMatrix& matrix,
            Interpolation interpolation) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, interpolation == Interpolation::kNearest
                                           ? CheckImage(transform, *image)
                                           : CheckImage(transform, *image, {DataType::kUInt8, DataType::kFloat32}));
  Result<TensorPtr> warped =
      OpenCvWarpPerspective(*image, layout, matrix, layout.height, layout.width, interpolation, {});
  if (!warped.ok()) return warped.status().WithContext(std::string(transform));
  columns->front() = std::move(warped).value();
  return Status::OK();
}

// The corners of a width x height image in pixel centres.
Quad ImageCorners(int64_t width, int64_t height) {
  const auto right = static_cast<double>(width - 1), bottom = static_cast<double>(height - 1);
  return {{{0.0, 0.0}, {right, 0.0}, {right, bottom}, {0.0, bottom}}};
}

}  // namespace

Quad RandomPerspectiveCorners(int64_t width, int64_t height, double distortion_scale, Random* random) {
  // Python's int() of the products: truncation towards zero.
  const auto dx = static_cast<int64_t>(distortion_scale * static_cast<double>(width / 2));
  const auto dy = static_cast<int64_t>(distortion_scale * static_cast<double>(height / 2));
  auto draw = [random](int64_t low, int64_t high) { return static_cast<double>(random->UniformInt(low, high)); };
  Quad corners;
  corners[0] = {draw(0, dx), draw(0, dy)};
  corners[1] = {draw(width - dx - 1, width - 1), draw(0, dy)};
  corners[2] = {draw(width - dx - 1, width - 1), draw(height - dy - 1, height - 1)};
  corners[3] = {draw(0, dx), draw(height - dy - 1, height - 1)};
  return corners;
}

Result<std::shared_ptr<Perspective>> Perspective::Make(const Quad& start, const Quad& end,
                                                       Interpolation interpolation) {
  RETURN_IF_ERROR(CheckInterpolation("Perspective", interpolation));
  Result<PerspectiveMatrix> matrix = PerspectiveTransform(start, end);
  if (!matrix.ok()) return matrix.status().WithContext("Perspective");
  return std::make_shared<Perspective>(*matrix, interpolation);
}

Status Perspective::Compute(TensorList* columns, uint64_t /*seed*/) {
  return Warp(name(), columns, matrix_, interpolation_);
}

Result<std::shared_ptr<RandomPerspective>> RandomPerspective::Make(double distortion_scale, double prob,
                                                                   Interpolation interpolation) {
  if (!(distortion_scale >= 0.0 && distortion_scale <= 1.0)) {
    return Status::InvalidArgument("RandomPerspective: distortion_scale must be in [0, 1], got " +
                                   std::to_string(distortion_scale));
  }
  if (!(prob >= 0.0 && prob <= 1.0)) {
    return Status::InvalidArgument("RandomPerspective: prob must be in [0, 1], got " + std::to_string(prob));
  }
  RETURN_IF_ERROR(CheckInterpolation("RandomPerspective", interpolation));
  return std::make_shared<RandomPerspective>(distortion_scale, prob, interpolation);
}

Status RandomPerspective::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(name(), *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(name(), *image));
  Random random(seed);
  if (!random.Bernoulli(prob_)) return Status::OK();  // the input stays as it is
  if (layout.width < 2 || layout.height < 2) return Status::OK();
  const Quad end = RandomPerspectiveCorners(layout.width, layout.height, distortion_scale_, &random);
  Result<PerspectiveMatrix> matrix = PerspectiveTransform(ImageCorners(layout.width, layout.height), end);
  if (!matrix.ok()) return Status::OK();  // corners drawn onto a line: no warp, the row stays
  return Warp(name(), columns, *matrix, interpolation_);
}

}  // namespace headrace::transforms
