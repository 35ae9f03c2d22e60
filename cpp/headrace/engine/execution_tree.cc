#include "headrace/engine/execution_tree.h"

#include "headrace/engine/ops/epoch_ctrl_op.h"

namespace headrace::engine {

ExecutionTree::ExecutionTree(std::shared_ptr<DatasetOp> pipeline, const PipelineSettings& settings)
    : root_(std::make_shared<EpochCtrlOp>(settings.num_epochs, settings.start_epoch)) {
  context_.settings = settings;
  root_->AddChild(std::move(pipeline));
}

ExecutionTree::~ExecutionTree() { Stop(); }

Status ExecutionTree::Launch() {
  Status status = root_->Launch(&context_, 1, 0);
  if (!status.ok()) {
    Stop();
    return status;
  }
  reader_ = std::make_unique<RowReader>(root_->output(), 0);
  return Status::OK();
}

Status ExecutionTree::GetNext(TensorRow* row) {
  if (reader_ == nullptr) return Status::FailedPrecondition("the pipeline was not launched");
  Status status = reader_->Next(row);
  if (!status.ok() || row->is_end_of_data()) Stop();
  return status;
}

std::vector<OpStatistics> ExecutionTree::Statistics() const {
  std::vector<OpStatistics> out;
  root_->CollectStatistics(0, &out);
  return out;
}

double ExecutionTree::ConsumerWaitSeconds() const {
  return static_cast<double>(root_->OutputCounters().pop_wait_ns) * 1e-9;
}

void ExecutionTree::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  context_.stopping = true;
  root_->Cancel();
  root_->Join();
}

}  // namespace headrace::engine
