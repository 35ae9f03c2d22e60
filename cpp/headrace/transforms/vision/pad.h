// Pad (mindspore.dataset.vision.Pad) and the window kernel that Pad, the crops and
// RandomCrop's padding share: a rectangle of an image whose parts outside the image are
// made up by a border mode. Exact for every fixed-width dtype (compare np.pad).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/tensor_op.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

// How pixels outside the image are made (the values of headrace.dataset.vision.Border).
enum class BorderMode {
  kConstant,   // the fill value
  kEdge,       // the nearest edge pixel repeated
  kReflect,    // mirrored about the edge pixel: 3 2 | 1 2 3 (np.pad "reflect")
  kSymmetric,  // mirrored including the edge pixel: 2 1 | 1 2 3 (np.pad "symmetric")
};

// "constant", "edge", "reflect" or "symmetric"; InvalidArgument otherwise.
Result<BorderMode> ParseBorderMode(std::string_view name);

// Pixels added on each side.
struct Padding {
  int64_t left = 0, top = 0, right = 0, bottom = 0;
};

// One pixel of `dtype` with `channels` channels holding `fill` converted to `dtype`
// (as NumPy's astype: bool is value != 0). `fill` may be empty (zeros), one value (every
// channel) or one value per channel; InvalidArgument otherwise (message without prefix).
Result<std::vector<uint8_t>> FillPixel(DataType dtype, int64_t channels,
                                       const std::vector<uint8_t>& fill);

// The height x width window of `image` whose top-left corner is source pixel (top, left);
// either may be negative and the window may reach past the image. Pixels outside the
// image follow `mode` (`fill` as FillPixel takes it, for kConstant). Reflection past
// a whole image length repeats, as np.pad does. Any fixed-width dtype.
Result<TensorPtr> ExtractWindow(const Tensor& image, const ImageLayout& layout, int64_t top,
                                int64_t left, int64_t height, int64_t width, BorderMode mode,
                                const std::vector<uint8_t>& fill);

// `image` with `padding` added (np.pad with the matching mode).
Result<TensorPtr> PadImage(const Tensor& image, const ImageLayout& layout, const Padding& padding,
                           BorderMode mode, const std::vector<uint8_t>& fill);

// Pad(padding, fill_value, padding_mode) on one image column of any fixed-width dtype.
class Pad : public transforms::TensorOp {
 public:
  // InvalidArgument for negative padding.
  static Result<std::shared_ptr<Pad>> Make(Padding padding, std::vector<uint8_t> fill, BorderMode mode);
  Pad(Padding padding, std::vector<uint8_t> fill, BorderMode mode)
      : padding_(padding), fill_(std::move(fill)), mode_(mode) {}

  std::string name() const override { return "Pad"; }
  Status Compute(TensorList* columns, uint64_t seed) override;

 private:
  const Padding padding_;
  const std::vector<uint8_t> fill_;
  const BorderMode mode_;
};

}  // namespace headrace::transforms
