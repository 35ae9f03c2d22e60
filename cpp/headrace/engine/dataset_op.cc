#include "headrace/engine/dataset_op.h"

#include <pthread.h>

#include <algorithm>

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

namespace {

// Linux limits thread names to 15 characters; "hr-" plus the op name and worker number
// are what `top -H` and gdb show.
void NameThisThread(const std::string& op_name, int worker_id) {
  std::string name = "hr-" + op_name.substr(0, 8) + ":" + std::to_string(worker_id);
  if (name.size() > 15) name.resize(15);
  pthread_setname_np(pthread_self(), name.c_str());
}

}  // namespace

DatasetOp::DatasetOp(std::string name, int num_workers)
    : name_(std::move(name)), num_workers_(num_workers < 1 ? 1 : num_workers) {}

DatasetOp::~DatasetOp() {
  // The owner (ExecutionTree) stops the tree before destroying it, while the derived ops
  // still exist; this only makes sure no thread outlives the op.
  Cancel();
  Join();
}

Status DatasetOp::Launch(ExecutionContext* context, int num_consumers) {
  context_ = context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled() || context->stopping) return Status::Cancelled(name_ + " is stopping");
  }
  if (LaunchesChildrenFirst()) {
    for (size_t i = 0; i < children_.size(); ++i) {
      RETURN_IF_ERROR(children_[i]->Launch(context, num_workers_));
    }
  }
  RETURN_IF_ERROR(PreparePass());
  std::lock_guard<std::mutex> lock(mu_);
  // Checked again: Cancel() may have run while the children were launching, and then it
  // did not see this pass's connector.
  if (cancelled() || context->stopping) return Status::Cancelled(name_ + " is stopping");
  output_ = std::make_shared<Connector>(num_workers_, num_consumers, context->settings.prefetch_rows);
  ++passes_launched_;
  threads_.reserve(num_workers_);
  for (int w = 0; w < num_workers_; ++w) {
    threads_.emplace_back(&DatasetOp::WorkerMain, this, w);
  }
  return Status::OK();
}

void DatasetOp::WorkerMain(int worker_id) {
  NameThisThread(name_, worker_id);
  Status status = RunWorker(worker_id);
  if (!status.ok() && status.code() != StatusCode::kCancelled) {
    output()->Fail(std::move(status));
  }
}

void DatasetOp::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    if (output_) output_->Cancel();
  }
  OnCancel();
  for (auto& child : children_) child->Cancel();
}

void DatasetOp::Join() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
  for (auto& child : children_) child->Join();
}

void DatasetOp::LimitOutputBlockRows(int64_t rows) {
  block_rows_limit_ = block_rows_limit_ > 0 ? std::min(block_rows_limit_, rows) : rows;
  if (KeepsInputBlocks()) {
    for (auto& child : children_) child->LimitOutputBlockRows(rows);
  }
}

int64_t DatasetOp::output_block_rows() const {
  return output_block_rows(context_->settings.block_rows);
}

int64_t DatasetOp::output_block_rows(int64_t preferred) const {
  return block_rows_limit_ > 0 ? std::min(block_rows_limit_, preferred) : preferred;
}

void DatasetOp::ClearCancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = false;
  }
  OnClearCancel();
  for (auto& child : children_) child->ClearCancel();
}

Result<int64_t> DatasetOp::ForwardChildPass(int64_t pass, RowWriter* writer) {
  DatasetOp* child = children_.front().get();
  if (pass > 0) {
    child->Join();
    RETURN_IF_ERROR(child->Launch(context_, 1));
  }
  RowReader reader(child->output(), 0);
  int64_t rows = 0;
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, writer));
    if (row.is_end_of_data()) return rows;
    if (!row.is_data()) continue;  // passes below never mark epochs themselves
    ++rows;
    RETURN_IF_ERROR(writer->Write(std::move(row)));
  }
}

Status DatasetOp::LaunchChild(size_t index) {
  children_[index]->Join();
  return children_[index]->Launch(context_, num_workers_);
}

Status DatasetOp::RestartChild(size_t index) {
  StopChildEarly(index);
  return LaunchChild(index);
}

void DatasetOp::StopChildEarly(size_t index) {
  DatasetOp* child = children_[index].get();
  child->Cancel();
  child->Join();
  child->ClearCancel();
}

Connector* DatasetOp::output() const {
  std::lock_guard<std::mutex> lock(mu_);
  return output_.get();
}

std::string DatasetOp::Describe() const {
  return name_ + "(workers=" + std::to_string(num_workers_) + ")";
}

std::string DatasetOp::TreeString(int indent) const {
  std::string out = std::string(indent * 2, ' ') + Describe() + "\n";
  for (const auto& child : children_) out += child->TreeString(indent + 1);
  return out;
}

}  // namespace headrace::engine
