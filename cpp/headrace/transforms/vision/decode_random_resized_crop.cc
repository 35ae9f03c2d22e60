#include "headrace/transforms/vision/decode_random_resized_crop.h"

#include <string>

#include "headrace/core/random.h"
#include "headrace/transforms/vision/decode.h"

namespace headrace::transforms {

namespace {

// True when the window is cropped, then resized (MindSpore's kernels always; Pillow's with
// crop_first): the crop's pixels must then be the full decode's.
bool CropsFirst(const RandomResizedCropParams& params) {
  return params.crop_first || !IsPillowInterpolation(params.interpolation);
}

// Chooses the window as the unfused crop would. With a Pillow kernel, also the largest
// DCT scale (1/2 or 1/4) that keeps the window at least as large as the output in both
// directions (never upsample a reduced image where the full one would be downsampled);
// 1/8 keeps only each block's average, too far from resampling the full image. With
// MindSpore's (OpenCV's) kernels, full scale: MindSpore decodes the whole image and then
// crops, and a crop decoded at full scale with a margin around it has the same pixels.
class WindowPlanner : public JpegCropPlanner {
 public:
  WindowPlanner(const RandomResizedCropParams& params, uint64_t seed) : params_(params), seed_(seed) {}

  JpegCrop Plan(int64_t height, int64_t width) override {
    Random random(seed_);
    const CropWindow window = ChooseRandomResizedCrop(random, height, width, params_);
    int denominator = 1;
    if (!CropsFirst(params_)) {
      for (int candidate : {4, 2}) {
        if (window.height >= params_.height * candidate && window.width >= params_.width * candidate) {
          denominator = candidate;
          break;
        }
      }
    }
    // Cropping first needs the crop's pixels exactly: decode a margin around it.
    const int64_t margin = CropsFirst(params_) ? 16 : 0;
    return JpegCrop{window.top, window.left, window.height, window.width, denominator, margin};
  }

 private:
  const RandomResizedCropParams& params_;
  const uint64_t seed_;
};

}  // namespace

Result<std::shared_ptr<DecodeRandomResizedCrop>> DecodeRandomResizedCrop::MakeRandomCropDecodeResize(
    const RandomResizedCropParams& params) {
  Result<std::shared_ptr<RandomResizedCrop>> checked = RandomResizedCrop::Make(params);
  if (!checked.ok()) {
    // The checks are RandomResizedCrop's; the error names this transform.
    std::string message = checked.status().message();
    const std::string prefix = "RandomResizedCrop: ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    return Status(checked.status().code(), "RandomCropDecodeResize: " + message);
  }
  return std::shared_ptr<DecodeRandomResizedCrop>(
      new DecodeRandomResizedCrop(params, "RandomCropDecodeResize", /*chain_steps=*/1));
}

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
  if (CropsFirst(params_)) {
    // Decoded at full scale: the box is the window in whole pixels of the decoded part.
    const auto left = static_cast<int64_t>(region->x0), top = static_cast<int64_t>(region->y0);
    const CropWindow window{top, left, static_cast<int64_t>(region->y1) - top, static_cast<int64_t>(region->x1) - left};
    ASSIGN_OR_RETURN(columns->front(), ResizeWindow(pixels, layout, window, params_.height, params_.width,
                                                    params_.interpolation, params_.crop_first));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(columns->front(),
                   ResizeRegion(pixels, layout, SourceBox{region->x0, region->y0, region->x1, region->y1},
                                params_.height, params_.width, params_.interpolation));
  return Status::OK();
}

}  // namespace headrace::transforms
