#include "headrace/transforms/vision/decode_random_resized_crop.h"

#include "headrace/core/random.h"
#include "headrace/transforms/vision/decode.h"

namespace headrace::transforms {

namespace {

// Chooses the window as the unfused crop would, and the largest DCT scale that keeps the
// window at least as large as the output in both directions (never upsample a reduced
// image where the full one would be downsampled).
class WindowPlanner : public JpegCropPlanner {
 public:
  WindowPlanner(const RandomResizedCropParams& params, uint64_t seed) : params_(params), seed_(seed) {}

  JpegCrop Plan(int64_t height, int64_t width) override {
    Random random(seed_);
    const CropWindow window = ChooseRandomResizedCrop(random, height, width, params_);
    int denominator = 1;
    for (int candidate : {8, 4, 2}) {
      if (window.height >= params_.height * candidate && window.width >= params_.width * candidate) {
        denominator = candidate;
        break;
      }
    }
    return JpegCrop{window.top, window.left, window.height, window.width, denominator};
  }

 private:
  const RandomResizedCropParams& params_;
  const uint64_t seed_;
};

}  // namespace

Status DecodeRandomResizedCrop::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(EncodedImage encoded, ReadEncodedImage(*columns));
  if (encoded.format != ImageFormat::kJpeg) {
    Result<TensorPtr> image = DecodePng(encoded.data, encoded.size);
    if (!image.ok()) return DecodeError(image.status(), encoded);
    columns->front() = std::move(image).value();
    return RandomResizedCrop(params_).Compute(columns, seed);
  }
  WindowPlanner planner(params_, seed);
  Result<JpegRegion> region = DecodeJpegRegion(encoded.data, encoded.size, &planner);
  if (!region.ok()) return DecodeError(region.status(), encoded);
  const Tensor& pixels = *region->pixels;
  const ImageLayout layout{pixels.shape()[0], pixels.shape()[1], 3, true};
  ASSIGN_OR_RETURN(columns->front(),
                   ResizeRegion(pixels, layout, SourceBox{region->x0, region->y0, region->x1, region->y1},
                                params_.height, params_.width, params_.interpolation));
  return Status::OK();
}

}  // namespace headrace::transforms
