// PipelineCallback: hooks called as rows pass a map op (map(..., callbacks=[...]), as
// mindspore.dataset.callback.DSCallback). Called from one thread (CallbackOp's), in order.
// Epochs and steps count from 1; `step` counts over all epochs, `step_in_epoch` restarts.
#pragma once

#include <cstdint>

#include "headrace/core/status.h"

namespace headrace::engine {

class PipelineCallback {
 public:
  virtual ~PipelineCallback() = default;

  virtual Status Begin() = 0;
  virtual Status EpochBegin(int64_t epoch, int64_t step_in_epoch, int64_t step) = 0;
  virtual Status EpochEnd(int64_t epoch, int64_t step_in_epoch, int64_t step) = 0;
  virtual Status StepBegin(int64_t epoch, int64_t step_in_epoch, int64_t step) = 0;
  virtual Status StepEnd(int64_t epoch, int64_t step_in_epoch, int64_t step) = 0;
};

}  // namespace headrace::engine
