// FuseTransforms: a map's chain with neighbouring transforms that do better as one step
// replaced by that step. So far: Decode then RandomResizedCrop becomes
// DecodeRandomResizedCrop (decode only what the crop keeps). A fused step stands for the
// steps it replaced (TensorOp::chain_steps), so rows keep their seeds and random choices.
#pragma once

#include <memory>
#include <vector>

#include "headrace/transforms/tensor_op.h"

namespace headrace::transforms {

std::vector<std::shared_ptr<transforms::TensorOp>> FuseTransforms(
    std::vector<std::shared_ptr<transforms::TensorOp>> chain);

}  // namespace headrace::transforms
