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

int64_t SteadyNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
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

Status DatasetOp::Launch(ExecutionContext* context, int num_consumers, int64_t pass) {
  context_ = context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled() || context->stopping) return Status::Cancelled(name_ + " is stopping");
  }
  if (LaunchesChildrenFirst()) {
    for (size_t i = 0; i < children_.size(); ++i) {
      RETURN_IF_ERROR(children_[i]->Launch(context, num_workers_, FirstChildPass(pass)));
    }
  }
  RETURN_IF_ERROR(PreparePass(pass));
  std::lock_guard<std::mutex> lock(mu_);
  // Checked again: Cancel() may have run while the children were launching, and then it
  // did not see this pass's connector.
  if (cancelled() || context->stopping) return Status::Cancelled(name_ + " is stopping");
  if (output_) earlier_output_ += output_->counters();
  output_ = std::make_shared<Connector>(num_workers_, num_consumers, context->settings.prefetch_rows);
  pass_ = pass;
  pass_started_ns_.store(SteadyNanoseconds());
  running_workers_.fetch_add(num_workers_);
  threads_.reserve(num_workers_);
  for (int w = 0; w < num_workers_; ++w) {
    threads_.emplace_back(&DatasetOp::WorkerMain, this, w);
  }
  return Status::OK();
}

void DatasetOp::SetStart(int64_t pass, int64_t row) {
  resumed_ = true;
  start_pass_ = pass;
  start_row_ = row;
  OnSetStart(pass, row);
}

void DatasetOp::WorkerMain(int worker_id) {
  NameThisThread(name_, worker_id);
  Status status = RunWorker(worker_id);
  if (!status.ok() && status.code() != StatusCode::kCancelled) {
    output()->Fail(std::move(status));
  }
  worker_ns_.fetch_add(SteadyNanoseconds() - pass_started_ns_.load());
  running_workers_.fetch_sub(1);
}

Connector::Counters DatasetOp::OutputCounters() const {
  std::lock_guard<std::mutex> lock(mu_);
  Connector::Counters counters = earlier_output_;
  if (output_) counters += output_->counters();
  return counters;
}

OpStatistics DatasetOp::Statistics() const {
  OpStatistics stats;
  stats.name = Describe();
  stats.num_workers = num_workers_;
  const Connector::Counters out = OutputCounters();
  stats.rows_out = out.rows_pushed;
  stats.output_wait_seconds = static_cast<double>(out.push_wait_ns) * 1e-9;
  for (const auto& child : children_) {
    const Connector::Counters in = child->OutputCounters();
    stats.rows_in += in.rows_popped;
    stats.input_wait_seconds += static_cast<double>(in.pop_wait_ns) * 1e-9;
  }
  int64_t worker_ns = worker_ns_.load();
  const int running = running_workers_.load();
  if (running > 0) {
    worker_ns += running * (SteadyNanoseconds() - pass_started_ns_.load());
  }
  stats.worker_seconds = static_cast<double>(worker_ns) * 1e-9;
  stats.busy_seconds =
      std::max(0.0, stats.worker_seconds - stats.input_wait_seconds - stats.output_wait_seconds);
  std::lock_guard<std::mutex> lock(mu_);
  if (output_) {
    stats.queued_rows = output_->queued_rows();
    stats.capacity_rows = output_->capacity_rows();
  }
  return stats;
}

void DatasetOp::CollectStatistics(int depth, std::vector<OpStatistics>* out) const {
  out->push_back(Statistics());
  out->back().depth = depth;
  for (const auto& child : children_) child->CollectStatistics(depth + 1, out);
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

Result<int64_t> DatasetOp::ForwardChildPass(int64_t child_pass, RowWriter* writer) {
  DatasetOp* child = children_.front().get();
  if (child->pass_index() != child_pass) {
    child->Join();
    RETURN_IF_ERROR(child->Launch(context_, 1, child_pass));
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
  return children_[index]->Launch(context_, num_workers_, FirstChildPass(pass_index()));
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
