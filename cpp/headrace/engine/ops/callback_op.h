// CallbackOp: calls a PipelineCallback as rows go by. It sits right above the map op whose
// callbacks they are: Begin() before the first pass, EpochBegin/EpochEnd around each pass,
// StepBegin/StepEnd around handing on each row.
#pragma once

#include <memory>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/pipeline_callback.h"

namespace headrace::engine {

class CallbackOp : public DatasetOp {
 public:
  explicit CallbackOp(std::shared_ptr<PipelineCallback> callback)
      : DatasetOp("Callback", 1), callback_(std::move(callback)) {}

 protected:
  Status RunWorker(int worker_id) override;

 private:
  const std::shared_ptr<PipelineCallback> callback_;
  // Kept across passes, used by the op's one thread only.
  int64_t epoch_ = 0;
  int64_t step_ = 0;
};

}  // namespace headrace::engine
