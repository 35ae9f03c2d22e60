#include "headrace/transforms/vision/flip.h"

#include <cstring>

#include "headrace/core/random.h"

namespace headrace::transforms {

namespace {

// Reverses the pixels of one row. A fixed pixel size lets the compiler turn the copy
// into plain loads and stores; kBytes == 0 means `pixel_bytes` at run time.
template <int kBytes>
void ReverseRow(const uint8_t* in, uint8_t* out, int64_t width, int64_t pixel_bytes) {
  const int64_t bytes = kBytes > 0 ? kBytes : pixel_bytes;
  for (int64_t x = 0; x < width; ++x) {
    std::memcpy(out + (width - 1 - x) * bytes, in + x * bytes, kBytes > 0 ? kBytes : bytes);
  }
}

Status Flip(std::string_view transform, TensorList* columns, bool horizontal) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, *image));
  Result<TensorPtr> flipped = horizontal ? FlipHorizontal(*image, layout) : FlipVertical(*image, layout);
  if (!flipped.ok()) return flipped.status().WithContext(std::string(transform));
  columns->front() = std::move(flipped).value();
  return Status::OK();
}

Status RandomFlip(std::string_view transform, TensorList* columns, uint64_t seed,
                  double prob, bool horizontal) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn(transform, *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage(transform, *image));
  if (!FlipDrawn(seed, prob)) return Status::OK();  // the input stays as it is
  Result<TensorPtr> flipped = horizontal ? FlipHorizontal(*image, layout) : FlipVertical(*image, layout);
  if (!flipped.ok()) return flipped.status().WithContext(std::string(transform));
  columns->front() = std::move(flipped).value();
  return Status::OK();
}

Status CheckProbability(std::string_view transform, double prob) {
  if (prob >= 0.0 && prob <= 1.0) return Status::OK();
  return Status::InvalidArgument(std::string(transform) + ": prob must be in [0, 1], got " +
                                 std::to_string(prob));
}

}  // namespace

bool FlipDrawn(uint64_t seed, double prob) {
  Random random(seed);
  return random.Bernoulli(prob);
}

Result<TensorPtr> FlipHorizontal(const Tensor& image, const ImageLayout& layout) {
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const int64_t pixel_bytes = layout.channels * ElementSize(image.dtype());
  const int64_t row_bytes = layout.width * pixel_bytes;
  for (int64_t y = 0; y < layout.height; ++y) {
    const uint8_t* in = image.data() + y * row_bytes;
    uint8_t* out = output->mutable_data() + y * row_bytes;
    switch (pixel_bytes) {
      case 1: ReverseRow<1>(in, out, layout.width, 1); break;
      case 2: ReverseRow<2>(in, out, layout.width, 2); break;
      case 3: ReverseRow<3>(in, out, layout.width, 3); break;
      case 4: ReverseRow<4>(in, out, layout.width, 4); break;
      case 8: ReverseRow<8>(in, out, layout.width, 8); break;
      case 12: ReverseRow<12>(in, out, layout.width, 12); break;
      case 16: ReverseRow<16>(in, out, layout.width, 16); break;
      default: ReverseRow<0>(in, out, layout.width, pixel_bytes); break;
    }
  }
  return output;
}

Result<TensorPtr> FlipVertical(const Tensor& image, const ImageLayout& layout) {
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), image.shape()));
  const int64_t row_bytes = layout.width * layout.channels * ElementSize(image.dtype());
  for (int64_t y = 0; y < layout.height; ++y) {
    std::memcpy(output->mutable_data() + (layout.height - 1 - y) * row_bytes,
                image.data() + y * row_bytes, row_bytes);
  }
  return output;
}

Status HorizontalFlip::Compute(TensorList* columns, uint64_t /*seed*/) {
  return Flip(name(), columns, /*horizontal=*/true);
}

Status VerticalFlip::Compute(TensorList* columns, uint64_t /*seed*/) {
  return Flip(name(), columns, /*horizontal=*/false);
}

Result<std::shared_ptr<RandomHorizontalFlip>> RandomHorizontalFlip::Make(double prob) {
  RETURN_IF_ERROR(CheckProbability("RandomHorizontalFlip", prob));
  return std::make_shared<RandomHorizontalFlip>(prob);
}

Status RandomHorizontalFlip::Compute(TensorList* columns, uint64_t seed) {
  return RandomFlip(name(), columns, seed, prob_, /*horizontal=*/true);
}

Result<std::shared_ptr<RandomVerticalFlip>> RandomVerticalFlip::Make(double prob) {
  RETURN_IF_ERROR(CheckProbability("RandomVerticalFlip", prob));
  return std::make_shared<RandomVerticalFlip>(prob);
}

Status RandomVerticalFlip::Compute(TensorList* columns, uint64_t seed) {
  return RandomFlip(name(), columns, seed, prob_, /*horizontal=*/false);
}

}  // namespace headrace::transforms
