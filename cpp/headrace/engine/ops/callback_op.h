// CallbackOp: calls a PipelineCallback as rows go by. It sits right above the map op whose
// callbacks they are: Begin() before the first pass, EpochBegin/EpochEnd around each pass,
// StepBegin/StepEnd around handing on each row. Without step hooks (`step_hooks` false)
// rows travel in blocks and no hook runs per row.
#pragma once

#include <memory>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/pipeline_callback.h"

namespace headrace::engine {

class CallbackOp : public DatasetOp {
 public:
  CallbackOp(std::shared_ptr<PipelineCallback> callback, bool step_hooks)
      : DatasetOp("Callback", 1), callback_(std::move(callback)), step_hooks_(step_hooks) {}

 protected:
  Status RunWorker(int worker_id) override;

 private:
  const std::shared_ptr<PipelineCallback> callback_;
  const bool step_hooks_;
  // Kept across passes, used by the op's one thread only.
  int64_t epoch_ = 0;
  int64_t step_ = 0;
};

}  // namespace headrace::engine
