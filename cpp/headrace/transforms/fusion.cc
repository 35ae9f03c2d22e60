#include "headrace/transforms/fusion.h"

#include "headrace/transforms/vision/crop.h"
#include "headrace/transforms/vision/decode.h"
#include "headrace/transforms/vision/decode_random_resized_crop.h"

namespace headrace::transforms {

std::vector<std::shared_ptr<transforms::TensorOp>> FuseTransforms(
    std::vector<std::shared_ptr<transforms::TensorOp>> chain) {
  std::vector<std::shared_ptr<transforms::TensorOp>> fused;
  fused.reserve(chain.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    if (i + 1 < chain.size() && dynamic_cast<Decode*>(chain[i].get()) != nullptr) {
      if (const auto* crop = dynamic_cast<RandomResizedCrop*>(chain[i + 1].get())) {
        fused.push_back(std::make_shared<DecodeRandomResizedCrop>(crop->params()));
        ++i;
        continue;
      }
    }
    fused.push_back(std::move(chain[i]));
  }
  return fused;
}

}  // namespace headrace::transforms
